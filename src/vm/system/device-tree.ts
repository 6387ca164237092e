// The device tree of the virt board, generated from the board table
// (board.ts) the way QEMU 7.2's hw/riscv/virt.c create_fdt_*() functions
// describe the same devices: the same node names, compatible strings, reg,
// interrupts, phandles and cells, so a kernel sees the same machine on either.
import {
  BOARD_DEVICES,
  type BoardDevice,
  boardDevice,
  CLINT,
  hartIsaString,
  HART_MMU_TYPE,
  PLIC,
  PLIC_CONTEXTS,
  ramRange,
  TEST_FINISHER,
  TIMEBASE_HZ,
  UART_CLOCK_HZ,
  unitName,
} from "./board.ts";
import {
  bytesProp,
  cellsProp,
  emptyProp,
  fdtNode,
  type FdtNode,
  type FdtProperty,
  regProp,
  stringListProp,
  stringProp,
  toCells,
} from "./fdt.ts";
import { writeFdt } from "./fdt-writer.ts";

export interface DeviceTreeOptions {
  readonly ramBytes: number;
  /** Kernel command line (/chosen bootargs), omitted when empty, as QEMU does. */
  readonly bootargs?: string;
  /** Where the initrd was placed in RAM: [start, end) physical addresses. */
  readonly initrd?: { readonly start: number; readonly end: number };
  /**
   * /chosen rng-seed. QEMU writes 32 bytes from the host's randomness; we
   * write one only when the machine supplies it (from its seed), because the
   * DTB is part of a deterministic machine.
   */
  readonly rngSeed?: Uint8Array;
}

/**
 * The longest kernel command line we put in /chosen. Linux keeps only its
 * COMMAND_LINE_SIZE bytes anyway; the limit bounds what a request can make
 * the DTB (and so the machine) hold.
 */
export const MAX_BOOTARGS_BYTES = 4096;

/** Phandles in the order QEMU 7.2 allocates them for one hart, so blobs agree number for number. */
export const PHANDLE = { cpu0: 1, cpu0Intc: 2, plic: 3, test: 4 } as const;

/** The UART that /chosen stdout-path names. */
export const STDOUT_PATH = `/soc/${unitName(boardDevice("uart0"))}`;

/**
 * Nodes QEMU 7.2's virt board has that ours deliberately lacks, because
 * edgevm does not emulate the device behind them (a driver probing them would
 * find nothing). The DTB comparison test checks that this is the whole list.
 */
export const QEMU_NODES_ABSENT: Readonly<Record<string, string>> = {
  "/pmu": "no SBI PMU: the core has no programmable hpm counters with events",
  "/fw-cfg@10100000": "no fw_cfg interface",
  "/flash@20000000": "no CFI pflash",
  "/platform-bus@4000000": "no dynamic sysbus devices",
  "/soc/pci@30000000": "no PCIe host bridge",
};

/** Properties on nodes we share with QEMU whose value differs on purpose (same check in the test). */
export const QEMU_PROPERTIES_DIFFERENT: Readonly<Record<string, string>> = {
  "/cpus/cpu@0 riscv,isa": "our core's extensions (no H, no Zb*): board.ts HART_ISA_EXTENSIONS",
  "/chosen rng-seed": "QEMU's is host randomness; ours is given by the machine's seed or absent",
};

function interruptsOn(device: BoardDevice): FdtProperty[] {
  return [cellsProp("interrupt-parent", PHANDLE.plic), cellsProp("interrupts", ...device.irqs)];
}

/** The /soc child describing one board device, or undefined for devices QEMU gives no node (the boot ROM). */
function socNode(device: BoardDevice): FdtNode | undefined {
  const common = [stringListProp("compatible", device.compatible), regProp([device.base, device.size])];
  switch (device.kind) {
    case "mrom":
      return undefined;
    case "test":
      return fdtNode(unitName(device), [...common, cellsProp("phandle", PHANDLE.test)]);
    case "rtc":
    case "virtio-mmio":
      return fdtNode(unitName(device), [...common, ...interruptsOn(device)]);
    case "uart":
      return fdtNode(unitName(device), [...common, cellsProp("clock-frequency", UART_CLOCK_HZ), ...interruptsOn(device)]);
    case "clint":
      // Each hart gets its software (MSIP) and timer (MTIP) interrupt.
      return fdtNode(unitName(device), [
        ...common,
        cellsProp("interrupts-extended", PHANDLE.cpu0Intc, CLINT.softwareCause, PHANDLE.cpu0Intc, CLINT.timerCause),
      ]);
    case "plic":
      return fdtNode(unitName(device), [
        ...common,
        cellsProp("#interrupt-cells", 1),
        cellsProp("#address-cells", 0),
        emptyProp("interrupt-controller"),
        // One (intc, cause) pair per PLIC context, in context order: M then S.
        cellsProp("interrupts-extended", ...PLIC_CONTEXTS.flatMap((c) => [PHANDLE.cpu0Intc, c.cause])),
        cellsProp("riscv,ndev", PLIC.ndev),
        cellsProp("phandle", PHANDLE.plic),
      ]);
    case "dram":
      throw new Error("RAM is a root node, not a /soc device");
  }
}

function cpusNode(): FdtNode {
  const intc = fdtNode("interrupt-controller", [
    stringProp("compatible", "riscv,cpu-intc"),
    cellsProp("#interrupt-cells", 1),
    emptyProp("interrupt-controller"),
    cellsProp("phandle", PHANDLE.cpu0Intc),
  ]);
  const cpu0 = fdtNode(
    "cpu@0",
    [
      stringProp("device_type", "cpu"),
      cellsProp("reg", 0),
      stringProp("status", "okay"),
      stringProp("compatible", "riscv"),
      stringProp("riscv,isa", hartIsaString()),
      stringProp("mmu-type", HART_MMU_TYPE),
      cellsProp("phandle", PHANDLE.cpu0),
    ],
    [intc],
  );
  const cpuMap = fdtNode("cpu-map", [], [fdtNode("cluster0", [], [fdtNode("core0", [cellsProp("cpu", PHANDLE.cpu0)])])]);
  return fdtNode(
    "cpus",
    [cellsProp("#address-cells", 1), cellsProp("#size-cells", 0), cellsProp("timebase-frequency", TIMEBASE_HZ)],
    [cpu0, cpuMap],
  );
}

/** A /chosen address: one cell when it fits, as QEMU 7.2 writes initrd bounds, else two. */
function addressProp(name: string, address: number): FdtProperty {
  return address <= 0xffff_ffff ? cellsProp(name, address) : cellsProp(name, ...toCells(address, 2));
}

function chosenNode(options: DeviceTreeOptions): FdtNode {
  const props: FdtProperty[] = [stringProp("stdout-path", STDOUT_PATH)];
  if (options.bootargs) {
    const bytes = new TextEncoder().encode(options.bootargs).length;
    if (bytes > MAX_BOOTARGS_BYTES) throw new RangeError(`the kernel command line is ${bytes} bytes; at most ${MAX_BOOTARGS_BYTES} are allowed`);
    props.push(stringProp("bootargs", options.bootargs));
  }
  if (options.initrd) {
    const { start, end } = options.initrd;
    if (!(end >= start)) throw new RangeError(`initrd end 0x${end.toString(16)} is before its start 0x${start.toString(16)}`);
    props.push(addressProp("linux,initrd-start", start), addressProp("linux,initrd-end", end));
  }
  if (options.rngSeed) props.push(bytesProp("rng-seed", options.rngSeed));
  return fdtNode("chosen", props);
}

/** The syscon-poweroff / syscon-reboot nodes: what value to write where in the test finisher. */
function sysconNode(name: "poweroff" | "reboot", value: number): FdtNode {
  return fdtNode(name, [
    stringProp("compatible", `syscon-${name}`),
    cellsProp("regmap", PHANDLE.test),
    cellsProp("offset", 0),
    cellsProp("value", value),
  ]);
}

/** The board's device tree for a machine with `options.ramBytes` of RAM. */
export function boardDeviceTree(options: DeviceTreeOptions): FdtNode {
  const ram = ramRange(options.ramBytes);
  const soc = fdtNode(
    "soc",
    [cellsProp("#address-cells", 2), cellsProp("#size-cells", 2), stringProp("compatible", "simple-bus"), emptyProp("ranges")],
    BOARD_DEVICES.map(socNode).filter((n): n is FdtNode => n !== undefined),
  );
  const memory = fdtNode(unitName(ram), [stringProp("device_type", "memory"), regProp([ram.base, ram.size])]);
  return fdtNode(
    "",
    [
      cellsProp("#address-cells", 2),
      cellsProp("#size-cells", 2),
      stringProp("compatible", "riscv-virtio"),
      stringProp("model", "riscv-virtio,qemu"),
    ],
    [
      chosenNode(options),
      cpusNode(),
      memory,
      sysconNode("poweroff", TEST_FINISHER.pass),
      sysconNode("reboot", TEST_FINISHER.reset),
      soc,
    ],
  );
}

/** The DTB the machine's firmware or kernel is given in a1. */
export function boardDtb(options: DeviceTreeOptions): Uint8Array {
  return writeFdt(boardDeviceTree(options));
}
