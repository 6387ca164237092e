// The QEMU-virt board (QEMU 7.2 hw/riscv/virt.c, one hart) as one table.
//
// Everything that places a device reads this module: the core's device table,
// the device-tree writer (dtb-writer.ts via device-tree.ts), the boot ROM and
// the boot layout. Like QEMU's virt_memmap[], one table means the device tree
// can never disagree with the devices. Pure data and small accessors: no Node
// imports, because the same board runs in the CLI, in workerd and in browsers.

/** What a device is, in the vocabulary of the board (QEMU's VIRT_* names, lower case). */
export type DeviceKind = "mrom" | "test" | "rtc" | "clint" | "plic" | "uart" | "virtio-mmio" | "dram";

export interface BoardDevice {
  /** Unique name on this board: "uart0", "virtio3", ... */
  readonly name: string;
  readonly kind: DeviceKind;
  /** Device-tree node name without the unit address ("serial" for serial@10000000). */
  readonly node: string;
  /** Physical base address and size in bytes (both below 2^53, so plain numbers). */
  readonly base: number;
  readonly size: number;
  /** PLIC source numbers the device drives (empty for devices with no PLIC line). */
  readonly irqs: readonly number[];
  /** `compatible` strings, most specific first, as QEMU writes them. */
  readonly compatible: readonly string[];
}

/** mtime ticks per second: QEMU's RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ. */
export const TIMEBASE_HZ = 10_000_000;

/**
 * The hart as the device tree describes it (`riscv,isa`, `mmu-type`): what
 * src/core implements. RV64GC (G = IMAFD + Zicsr + Zifencei), Zihintpause
 * (pause is a FENCE hint, executed as a fence), and Sstc (stimecmp with
 * menvcfg.STCE). The core walks Sv39 and Sv48 page tables (src/core/mmu.ts),
 * so the largest mode is sv48. Unlike QEMU 7.2's default CPU there is no H,
 * Zba/Zbb/Zbc/Zbs: the core does not decode them.
 */
export const HART_ISA_BASE = "rv64imafdc";
export const HART_ISA_EXTENSIONS: readonly string[] = ["zicsr", "zifencei", "zihintpause", "sstc"];
export const HART_MMU_TYPE = "riscv,sv48";

/** The `riscv,isa` string: the single-letter base, then each multi-letter extension after an underscore. */
export function hartIsaString(): string {
  return [HART_ISA_BASE, ...HART_ISA_EXTENSIONS].join("_");
}

/** The NS16550A's input clock, as QEMU advertises it (`clock-frequency`, 3.6864 MHz). */
export const UART_CLOCK_HZ = 3_686_400;

/** Number of virtio-mmio transports (QEMU's VIRTIO_COUNT). */
export const VIRTIO_SLOTS = 8;

/** virtio-mmio transport n sits at VIRTIO_BASE + n * VIRTIO_STRIDE, on PLIC source VIRTIO_IRQ_FIRST + n. */
export const VIRTIO_BASE = 0x1000_1000;
export const VIRTIO_STRIDE = 0x1000;
export const VIRTIO_IRQ_FIRST = 1;

/** RAM starts here (QEMU's VIRT_DRAM); its size comes from --ram. */
export const RAM_BASE = 0x8000_0000;
/** RAM size of a system machine when --ram is not given. */
export const DEFAULT_RAM_MIB = 128;

/**
 * PLIC geometry (QEMU include/hw/riscv/virt.h). `riscv,ndev` counts source 0
 * (which never interrupts), so sources 1..95 are usable, as on QEMU.
 */
export const PLIC = {
  ndev: 96,
  priorityBits: 3,
  priorityBase: 0x0,
  pendingBase: 0x1000,
  enableBase: 0x2000,
  enableStride: 0x80,
  contextBase: 0x20_0000,
  contextStride: 0x1000,
} as const;

/**
 * PLIC contexts of hart 0 in QEMU's order ("MS": context 0 is M-mode, 1 is
 * S-mode). `cause` is the local interrupt the context raises on the hart
 * (priv spec 3.1.9: MEIP is bit 11, SEIP bit 9).
 */
export const PLIC_CONTEXTS: readonly { readonly hart: number; readonly mode: "M" | "S"; readonly cause: number }[] = [
  { hart: 0, mode: "M", cause: 11 },
  { hart: 0, mode: "S", cause: 9 },
];

/** CLINT layout (SiFive CLINT / ACLINT MSWI+MTIMER, as QEMU maps it) and the causes it raises (MSIP 3, MTIP 7). */
export const CLINT = {
  msip: 0x0,
  mtimecmp: 0x4000,
  mtime: 0xbff8,
  softwareCause: 3,
  timerCause: 7,
} as const;

/** Values the guest writes to the sifive,test finisher (QEMU hw/misc/sifive_test.c). */
export const TEST_FINISHER = {
  /** Low 16 bits 0x3333: fail; the exit code is in the high 16 bits. */
  fail: 0x3333,
  /** Poweroff with success; also what /poweroff's syscon-poweroff writes. */
  pass: 0x5555,
  /** Reset; what /reboot's syscon-reboot writes. */
  reset: 0x7777,
} as const;

function virtioSlotDevice(n: number): BoardDevice {
  return {
    name: `virtio${n}`,
    kind: "virtio-mmio",
    node: "virtio_mmio",
    base: VIRTIO_BASE + n * VIRTIO_STRIDE,
    size: VIRTIO_STRIDE,
    irqs: [VIRTIO_IRQ_FIRST + n],
    compatible: ["virtio,mmio"],
  };
}

/** The fixed devices of the board in address order (RAM, whose size varies, is separate: ramRange). */
export const BOARD_DEVICES: readonly BoardDevice[] = [
  { name: "mrom", kind: "mrom", node: "mrom", base: 0x1000, size: 0xf000, irqs: [], compatible: [] },
  {
    name: "test",
    kind: "test",
    node: "test",
    base: 0x10_0000,
    size: 0x1000,
    irqs: [],
    compatible: ["sifive,test1", "sifive,test0", "syscon"],
  },
  { name: "rtc", kind: "rtc", node: "rtc", base: 0x10_1000, size: 0x1000, irqs: [11], compatible: ["google,goldfish-rtc"] },
  {
    name: "clint",
    kind: "clint",
    node: "clint",
    base: 0x200_0000,
    size: 0x1_0000,
    irqs: [],
    compatible: ["sifive,clint0", "riscv,clint0"],
  },
  {
    name: "plic",
    kind: "plic",
    node: "plic",
    base: 0xc00_0000,
    // QEMU sizes the PLIC window for its maximum of 512 harts x 2 contexts.
    size: 0x60_0000,
    irqs: [],
    compatible: ["sifive,plic-1.0.0", "riscv,plic0"],
  },
  { name: "uart0", kind: "uart", node: "serial", base: 0x1000_0000, size: 0x100, irqs: [10], compatible: ["ns16550a"] },
  ...Array.from({ length: VIRTIO_SLOTS }, (_, n) => virtioSlotDevice(n)),
];

/** The device called `name`; throws for a name the board does not have (a programming error). */
export function boardDevice(name: string): BoardDevice {
  const found = BOARD_DEVICES.find((d) => d.name === name);
  if (!found) throw new Error(`the virt board has no device "${name}"`);
  return found;
}

/** virtio-mmio transport `n` (0..7). */
export function virtioSlot(n: number): BoardDevice {
  if (!Number.isInteger(n) || n < 0 || n >= VIRTIO_SLOTS) throw new RangeError(`virtio-mmio slot ${n} is not 0..${VIRTIO_SLOTS - 1}`);
  return boardDevice(`virtio${n}`);
}

/** The device whose window holds physical address `addr`, or undefined (RAM is not a BOARD_DEVICES entry). */
export function deviceAt(addr: number): BoardDevice | undefined {
  return BOARD_DEVICES.find((d) => addr >= d.base && addr < d.base + d.size);
}

/** RAM as a device, for a machine with `ramBytes` of it. */
export function ramRange(ramBytes: number): BoardDevice {
  if (!Number.isInteger(ramBytes) || ramBytes <= 0 || ramBytes % 4096 !== 0) {
    throw new RangeError(`RAM size ${ramBytes} is not a positive multiple of 4 KiB`);
  }
  return { name: "dram", kind: "dram", node: "memory", base: RAM_BASE, size: ramBytes, irqs: [], compatible: [] };
}

/** Device-tree unit name of a device: `serial@10000000` (lower-case hex, no leading zeros, as QEMU prints it). */
export function unitName(device: BoardDevice): string {
  return `${device.node}@${device.base.toString(16)}`;
}
