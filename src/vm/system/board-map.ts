// Configures the core's device table (src/core/bus.ts deviceMap) from the
// board table, so the addresses and interrupt sources the devices answer on
// are the ones the device tree names. The core maps QEMU virt by itself at
// init(); a host that maps from here states the board in one place.
import { BOARD_DEVICES, type DeviceKind } from "./board.ts";
import type { SystemCoreExports } from "./system-core.ts";

/** The core's device kinds (src/core/bus.ts DEV_*): the numbers deviceMap takes. */
export const CoreDeviceKind = { Clint: 1, Plic: 2, Uart: 3, Finisher: 4, Rtc: 5, Virtio: 6 } as const;

/** Board device kinds the core models (the boot ROM and RAM are not MMIO devices of the core). */
const CORE_KIND: Partial<Record<DeviceKind, number>> = {
  clint: CoreDeviceKind.Clint,
  plic: CoreDeviceKind.Plic,
  uart: CoreDeviceKind.Uart,
  test: CoreDeviceKind.Finisher,
  rtc: CoreDeviceKind.Rtc,
  "virtio-mmio": CoreDeviceKind.Virtio,
};

/** Replaces the core's device table with the board's devices, in board order. */
export function mapBoardDevices(core: Pick<SystemCoreExports, "deviceMapClear" | "deviceMap">): void {
  core.deviceMapClear();
  let virtioUnit = 0;
  for (const device of BOARD_DEVICES) {
    const kind = CORE_KIND[device.kind];
    if (kind === undefined) continue;
    const unit = kind === CoreDeviceKind.Virtio ? virtioUnit++ : 0;
    if (core.deviceMap(kind, BigInt(device.base), BigInt(device.size), unit, device.irqs[0] ?? 0) === 0) {
      throw new Error(`the core refused to map ${device.name} at 0x${device.base.toString(16)}`);
    }
  }
}
