// Process mode for the service: Linux programs become snapshot machines
// through the Linux guest layer (src/vm/linux/snapshot-layer.ts).
import type { GuestLayerCodec } from "../snapshot/index.ts";
import { linuxLayerCodec, prepareLinuxMachine } from "../vm/linux/snapshot-layer.ts";

export const prepareLinux = prepareLinuxMachine;

export const guestLayers: readonly GuestLayerCodec[] = [linuxLayerCodec];
