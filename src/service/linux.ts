// Process mode for the service: Linux programs become snapshot machines
// through the Linux guest layer (src/vm/linux/linux-layer.ts).
import type { GuestLayerCodec } from "../vm/guest-layer.ts";
import { linuxLayerCodec, prepareLinuxMachine } from "../vm/linux/linux-layer.ts";

export const prepareLinux = prepareLinuxMachine;

export const guestLayers: readonly GuestLayerCodec[] = [linuxLayerCodec];
