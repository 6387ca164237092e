// The core's device table configured from the board table is the one the
// core maps for QEMU virt by itself: the same state record, byte for byte.
import { describe, expect, it } from "vitest";
import { mapBoardDevices } from "../../src/vm/system/board-map.ts";
import { systemCoreExports } from "../../src/vm/system/system-core.ts";
import { newInstance } from "../support/bare-core.ts";

function stateRecord(core: ReturnType<typeof systemCoreExports>): Uint8Array {
  const length = core.stateSave() >>> 0;
  return new Uint8Array(core.memory.buffer, core.stateBuffer() >>> 0, length).slice();
}

describe("the core's device table from the board table", () => {
  it("equals the core's own QEMU virt map", () => {
    const own = systemCoreExports(newInstance());
    expect(own.init(16 << 20, 1)).toBe(0);
    const fromBoard = systemCoreExports(newInstance());
    expect(fromBoard.init(16 << 20, 1)).toBe(0);
    mapBoardDevices(fromBoard);
    expect(Buffer.from(stateRecord(fromBoard)).equals(Buffer.from(stateRecord(own)))).toBe(true);
  });

  it("differs when a device moves (the comparison can fail)", () => {
    const own = systemCoreExports(newInstance());
    expect(own.init(16 << 20, 1)).toBe(0);
    const moved = systemCoreExports(newInstance());
    expect(moved.init(16 << 20, 1)).toBe(0);
    mapBoardDevices({
      deviceMapClear: () => moved.deviceMapClear(),
      deviceMap: (kind, base, size, unit, irq) => moved.deviceMap(kind, kind === 3 ? base + 0x1000n : base, size, unit, irq),
    });
    expect(Buffer.from(stateRecord(moved)).equals(Buffer.from(stateRecord(own)))).toBe(false);
  });
});
