// Register and CSR names (RISC-V psABI register names; unprivileged spec
// chapter 25 "RISC-V Assembly Programmer's Handbook"; privileged spec 2.2 CSR listing).

const ABI_X = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
  "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"];
const ABI_F = ["ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
  "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"];

export const X_REGS = new Map<string, number>();
export const F_REGS = new Map<string, number>();
for (let i = 0; i < 32; i++) {
  X_REGS.set(`x${i}`, i);
  X_REGS.set(ABI_X[i], i);
  F_REGS.set(`f${i}`, i);
  F_REGS.set(ABI_F[i], i);
}
X_REGS.set("fp", 8);

export const X_NAMES = ABI_X;

export const CSRS = new Map<string, number>(
  Object.entries({
    fflags: 0x001, frm: 0x002, fcsr: 0x003,
    cycle: 0xc00, time: 0xc01, instret: 0xc02,
    cycleh: 0xc80, timeh: 0xc81, instreth: 0xc82,
    sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a,
    sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, satp: 0x180,
    mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
    mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
    mcounteren: 0x306, menvcfg: 0x30a, mcountinhibit: 0x320,
    mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344, mtinst: 0x34a, mtval2: 0x34b,
    mcycle: 0xb00, minstret: 0xb02,
    tselect: 0x7a0, tdata1: 0x7a1, tdata2: 0x7a2, tdata3: 0x7a3,
    dcsr: 0x7b0, dpc: 0x7b1, dscratch0: 0x7b2, dscratch1: 0x7b3,
  }),
);
for (let i = 3; i < 32; i++) {
  CSRS.set(`hpmcounter${i}`, 0xc00 + i);
  CSRS.set(`mhpmcounter${i}`, 0xb00 + i);
  CSRS.set(`mhpmevent${i}`, 0x320 + i);
}
for (let i = 0; i < 16; i++) CSRS.set(`pmpcfg${i}`, 0x3a0 + i);
for (let i = 0; i < 64; i++) CSRS.set(`pmpaddr${i}`, 0x3b0 + i);

export const ROUNDING_MODES = new Map<string, number>(Object.entries({ rne: 0, rtz: 1, rdn: 2, rup: 3, rmm: 4, dyn: 7 }));
