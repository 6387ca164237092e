// Process mode for the service: Linux programs become snapshot machines
// through the Linux guest layer (src/vm/linux/snapshot-layer.ts).
import type { GuestLayerCodec, InitialMachine } from "../snapshot/index.ts";
import type { LinuxConfig } from "../vm/linux/process.ts";
import { ApiError } from "./errors.ts";

// TEMPORARY until the Linux layer lands: process-mode machines cannot be snapshotted yet.
export async function prepareLinux(_core: WebAssembly.Module, _program: Uint8Array, _config: LinuxConfig): Promise<InitialMachine> {
  throw new ApiError(422, "unsupported_program", "Linux programs are not supported by the service yet");
}

export const guestLayers: readonly GuestLayerCodec[] = [];
