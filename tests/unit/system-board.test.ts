import { describe, expect, it } from "vitest";
import { BOARD_DEVICES, boardDevice, deviceAt, ramRange, unitName, virtioSlot, VIRTIO_SLOTS } from "../../src/vm/system/board.ts";

describe("the virt board table", () => {
  it("places every device in its own window, none overlapping RAM", () => {
    const sorted = [...BOARD_DEVICES].sort((a, b) => a.base - b.base);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i].base, `${sorted[i].name} overlaps ${sorted[i - 1].name}`).toBeGreaterThanOrEqual(sorted[i - 1].base + sorted[i - 1].size);
    }
    const ram = ramRange(128 << 20);
    for (const d of BOARD_DEVICES) expect(d.base + d.size).toBeLessThanOrEqual(ram.base);
  });

  it("gives each PLIC source to at most one device, all within 1..95", () => {
    const irqs = BOARD_DEVICES.flatMap((d) => d.irqs);
    expect(new Set(irqs).size).toBe(irqs.length);
    for (const irq of irqs) expect(irq >= 1 && irq <= 95).toBe(true);
  });

  it("has QEMU's virtio-mmio slots: 0x10001000 + n*0x1000 on IRQ 1+n", () => {
    for (let n = 0; n < VIRTIO_SLOTS; n++) {
      const slot = virtioSlot(n);
      expect(slot.base).toBe(0x1000_1000 + n * 0x1000);
      expect(slot.irqs).toEqual([1 + n]);
    }
    expect(() => virtioSlot(8)).toThrow(RangeError);
  });

  it("finds devices by name and by address", () => {
    expect(boardDevice("uart0").base).toBe(0x1000_0000);
    expect(deviceAt(0x1000_0005)?.name).toBe("uart0");
    expect(deviceAt(0x0c20_1004)?.name).toBe("plic");
    expect(deviceAt(0x0200_bff8)?.name).toBe("clint");
    expect(deviceAt(0x1000_9000)).toBeUndefined();
    expect(() => boardDevice("pci")).toThrow(/no device "pci"/);
  });

  it("names nodes as QEMU does", () => {
    expect(unitName(boardDevice("uart0"))).toBe("serial@10000000");
    expect(unitName(virtioSlot(7))).toBe("virtio_mmio@10008000");
    expect(unitName(ramRange(1 << 27))).toBe("memory@80000000");
    expect(() => ramRange(1000)).toThrow(RangeError);
  });
});
