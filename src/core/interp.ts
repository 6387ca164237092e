// The run loop. Instructions are predecoded per physical page into entries
// (decode.ts) grouped into basic blocks; each entry knows how many
// instructions remain in its block. Entering a block adds that count to the
// retired counter and checks the budget once, so straight-line code runs with
// no per-instruction bookkeeping: fetch the entry, dispatch through one
// br_table, advance the entry pointer. The pc is derived from the entry
// pointer only when an instruction needs it. Leaving a block early (a trap, an
// event) subtracts what did not retire. Everything rare (traps, CSRs, FP
// arithmetic, atomics, TLB misses, devices) is a call out of the loop.
// Dense on purpose: this is the hot path.
import * as hart from "./hart";
import { XREGS, FREGS, TLB_ENTRIES, TLB_READ, TLB_WRITE, BLOCK_SCRATCH, STRADDLE_SCRATCH } from "./layout";
import {
  pending, trapCause, trapValue, raise, haltReason, EV_TRAP, EV_HALT, EV_CONSOLE_FULL, EV_ABSENT, EV_FAULT, EV_NOTIFY, EXIT_PAGE_ABSENT, EXIT_NOTIFY, CAUSE_ILLEGAL, CAUSE_BREAKPOINT,
  CAUSE_ECALL_U, CAUSE_INTERRUPT, EXIT_BUDGET, EXIT_HALT, EXIT_IDLE, EXIT_CONSOLE_FULL, EXIT_ECALL, EXIT_TRAP, EXIT_FAULT, CAUSE_FETCH_ACCESS, CAUSE_FETCH_PAGE, FAULT_TRAP_LOOP,
} from "./events";
import { loadSlow, storeSlow, fetchSlot, fetchPageHost, fetchUpperHalf, flushTlb } from "./mmu";
import { decode16, decode32, COUNT_SHIFT, COUNT_MASK } from "./decode";
import { csrRead, csrWrite, csrIllegal, satpAccessible } from "./csr";
import { enterTrap, returnFromM, returnFromS, updateTimerBits, interruptToTake, cyclesToNextTimer } from "./trap";
import { executeFp, fpEnabled } from "./execute-fp";
import { executeAtomic } from "./execute-atomic";
import * as O from "./ops";
import { field } from "./state-cursor";
import { uncompressedOp } from "./ops";

// Process mode: an ecall from U-mode returns to the host instead of trapping,
// and so does any other exception taken in U-mode (the host plays the kernel).
export let ecallExits: bool = false;
export let userTrapExits: bool = false;

export function interpState(): void {
  ecallExits = field(ecallExits ? 1 : 0) != 0;
  userTrapExits = field(userTrapExits ? 1 : 0) != 0;
}

const NO_TIMER: u64 = 0xFFFF_FFFF_FFFF_FFFF;
const BOX: u64 = 0xFFFF_FFFF_0000_0000;

@inline function X(off: usize): u64 {
  return load<u64>(XREGS + off);
}

@inline function SX(off: usize, v: u64): void {
  store<u64>(XREGS + off, v);
}

@inline function tlbProbe(base: usize, va: u64): usize {
  return base + ((<usize>(va >> 12) & (TLB_ENTRIES - 1)) << 4);
}

@inline function mulhu(a: u64, b: u64): u64 {
  const a0 = a & 0xFFFF_FFFF, a1 = a >> 32, b0 = b & 0xFFFF_FFFF, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xFFFF_FFFF) + (p10 & 0xFFFF_FFFF);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

@inline function mulh(a: u64, b: u64): u64 {
  return mulhu(a, b) - (<i64>a < 0 ? b : 0) - (<i64>b < 0 ? a : 0);
}

@inline function mulhsu(a: u64, b: u64): u64 {
  return mulhu(a, b) - (<i64>a < 0 ? b : 0);
}

// Division by zero and overflow give the results of unprivileged spec table 12.1, never a trap.
@inline function div64(x: u64, y: u64): u64 {
  const a = <i64>x, b = <i64>y;
  return b == 0 ? <u64>-1 : a == i64.MIN_VALUE && b == -1 ? x : <u64>(a / b);
}

@inline function divu64(a: u64, b: u64): u64 {
  return b == 0 ? <u64>-1 : a / b;
}

@inline function rem64(x: u64, y: u64): u64 {
  const a = <i64>x, b = <i64>y;
  return b == 0 ? x : a == i64.MIN_VALUE && b == -1 ? 0 : <u64>(a % b);
}

@inline function remu64(a: u64, b: u64): u64 {
  return b == 0 ? a : a % b;
}

@inline function div32(x: u64, y: u64): u64 {
  const a = <i32>x, b = <i32>y;
  return <u64><i64>(b == 0 ? -1 : a == i32.MIN_VALUE && b == -1 ? a : a / b);
}

@inline function divu32(x: u64, y: u64): u64 {
  const a = <u32>x, b = <u32>y;
  return b == 0 ? <u64>-1 : <u64><i64><i32>(a / b);
}

@inline function rem32(x: u64, y: u64): u64 {
  const a = <i32>x, b = <i32>y;
  return <u64><i64>(b == 0 ? a : a == i32.MIN_VALUE && b == -1 ? 0 : a % b);
}

@inline function remu32(x: u64, y: u64): u64 {
  const a = <u32>x, b = <u32>y;
  return <u64><i64><i32>(b == 0 ? a : a % b);
}

// Loads in op order LB LH LW LD LBU LHU LWU.
function loadSize(op: u32): u32 {
  const k = op - O.OP_LB;
  return 1 << (k < 4 ? k : k - 4);
}

function extendLoaded(op: u32, v: u64): u64 {
  if (op == O.OP_LW) return <u64><i64><i32>v;
  if (op == O.OP_LH) return <u64><i64><i16>v;
  if (op == O.OP_LB) return <u64><i64><i8>v;
  return v;
}

@inline function sext32(v: u64): u64 {
  return <u64><i64><i32>v;
}

// The raw instruction at pc, for the tval of an illegal-instruction trap.
function rawInstruction(pageHost: usize, pc: u64): u64 {
  const off = <usize>(pc & 0xFFF);
  const lo = <u64>load<u16>(pageHost + off);
  if ((lo & 3) != 3) return lo;
  const hi = off == 0xFFE ? <u64>fetchUpperHalf(pc) : <u64>load<u16>(pageHost + off + 2);
  return lo | (hi << 16);
}

function isBlockEnd(compressedOrNot: u32): bool {
  const op = uncompressedOp(compressedOrNot);
  return (op >= O.OP_JAL && op <= O.OP_BGEU) || (op >= O.OP_FENCE_I && op <= O.OP_CSRRCI) ||
    op == O.OP_ILLEGAL || op == O.OP_STRADDLE;
}

// Decode the basic block that starts at byte `off` of a cached page, up to
// its first control transfer or system instruction, the end of the page, or
// an entry that is already decoded (whose count then continues ours).
function decodeBlock(slot: usize, pageHost: usize, off: u32): void {
  let k: u32 = 0;
  let tail: u64 = 0;
  while (off < 4096) {
    const e = slot + (<usize>off << 2);
    const existing = load<u64>(e);
    if (existing != 0) {
      tail = (existing >> COUNT_SHIFT) & COUNT_MASK;
      break;
    }
    const lo = <u32>load<u16>(pageHost + off);
    let w: u64;
    let len: u32 = 4;
    if ((lo & 3) != 3) {
      w = decode16(lo);
      len = 2;
    } else if (off == 0xFFE) {
      w = <u64>O.OP_STRADDLE; // its upper half lives in the next page: fetched when executed
    } else {
      w = decode32(load<u32>(pageHost + off));
    }
    store<u64>(e, w);
    // Fuse only with the entry decoded just before in this call: the pair is
    // then in one page and one block, and a store into the page drops both.
    if (k > 0) {
      const pe = slot + (<usize>load<u16>(BLOCK_SCRATCH + (<usize>(k - 1) << 1)) << 2);
      const p = load<u64>(pe);
      const f = O.fusedOp(<u32>p & 0xFF, <u32>w & 0xFF);
      if (f != 0) store<u64>(pe, (p & ~<u64>0xFF) | <u64>f);
    }
    store<u16>(BLOCK_SCRATCH + (<usize>k << 1), <u16>off);
    k++;
    if (isBlockEnd(<u32>w & 0xFF)) break;
    off += len;
  }
  // Counts run backwards from the block's end.
  let count = tail;
  while (k > 0) {
    k--;
    count++;
    const e = slot + (<usize>load<u16>(BLOCK_SCRATCH + (<usize>k << 1)) << 2);
    store<u64>(e, load<u64>(e) | (count << COUNT_SHIFT));
  }
}

@inline function countOf(w: u64): u64 {
  return (w >> COUNT_SHIFT) & COUNT_MASK;
}

// Bytes from one entry to the next: 8 per halfword of the instruction.
@inline function stepOf(w: u64): usize {
  return 16 - (<usize>(w >> 21) & 8);
}

@inline function lenOf(w: u64): u64 {
  return 4 - ((w >> 23) & 2);
}

@inline function RD(w: u64): usize {
  return <usize>(w >> 5) & 0x1F8;
}

@inline function RS1(w: u64): usize {
  return <usize>(w >> 11) & 0xF8;
}

@inline function RS2(w: u64): usize {
  return <usize>(w >> 16) & 0xF8;
}

@inline function IMM(w: u64): u64 {
  return <u64>(<i64>w >> 43);
}

// A budget that ends inside a block is enforced by patching OP_STOP over the
// entry where it ends; the original is put back as soon as the loop leaves.
let patchAt: usize = 0;
let patchWord: u64 = 0;
// A fused pair would run past a STOP on its second entry: its first entry is
// patched back to the first instruction alone while the STOP is in place.
let unfuseAt: usize = 0;
let unfuseWord: u64 = 0;

// A new machine on this instance. A run that a wasm trap aborted could leave
// a patch pending, which would otherwise be "restored" into the new machine's code.
export function interpReset(): void {
  ecallExits = false;
  userTrapExits = false;
  patchAt = 0;
  unfuseAt = 0;
  lastRunCycles = 0;
}

// A store into the page while a patch is in place clears its entries: the
// patched words are then gone, and putting the originals back would revive a
// stale decode of code the store may have changed.
function unpatch(): void {
  if (patchAt != 0) {
    if (load<u64>(patchAt) == ((patchWord & ~<u64>0xFF) | O.OP_STOP)) store<u64>(patchAt, patchWord);
    patchAt = 0;
  }
  if (unfuseAt != 0) {
    if (load<u64>(unfuseAt) == ((unfuseWord & ~<u64>0xFF) | O.unfusedOp(<u32>unfuseWord & 0xFF))) store<u64>(unfuseAt, unfuseWord);
    unfuseAt = 0;
  }
}

function patchStop(ent: usize, k: u64): void {
  let e = ent;
  let prev: usize = 0;
  for (let i: u64 = 0; i < k; i++) {
    prev = e;
    e += stepOf(load<u64>(e));
  }
  patchAt = e;
  patchWord = load<u64>(e);
  store<u64>(e, (patchWord & ~<u64>0xFF) | O.OP_STOP);
  if (prev != 0) {
    const p = load<u64>(prev);
    const op = O.unfusedOp(<u32>p & 0xFF);
    if (op != (<u32>p & 0xFF)) {
      unfuseAt = prev;
      unfuseWord = p;
      store<u64>(prev, (p & ~<u64>0xFF) | <u64>op);
    }
  }
}

// Cycles (instructions retired plus idle and trap-entry cycles) that the last run() used.
export let lastRunCycles: u64 = 0;

function leave(pc: u64, n: u64, idle: u64, reason: u32): u32 {
  unpatch();
  lastRunCycles = n + idle;
  hart.pc = pc;
  hart.retired += n;
  hart.liveRetired = 0;
  return reason;
}


// Exits of execute(): the instruction at exitEnt needs the slow path, or
// control moves to exitTarget, which execute() could not enter by itself.
const EXIT_SLOW: u32 = 0;
const EXIT_JUMP: u32 = 1;
let exitEnt: usize = 0;
let exitLeft: u64 = 0;
let exitTarget: u64 = 0;

@inline function exitSlow(ent: usize, left: u64): u32 {
  exitEnt = ent;
  exitLeft = left;
  return EXIT_SLOW;
}

// The hot loop: integer ops, TLB-hit loads and stores, and control transfers
// into decoded blocks of the same page that fit the budget. It makes no calls,
// so V8 keeps its few locals in registers; anything else returns to run().
// Entries sit 8 bytes per halfword of code, so a pc offset of d bytes is an
// entry offset of 4d, and the next entry is 16 bytes on (8 for RVC).
function execute(start: usize, left0: u64, pcBase: u64, slotBase: usize): u32 {
  let ent = start;
  let left = left0; // instructions the budget still allows beyond the current block
  let next: usize = 0;
  while (true) {
    let w = load<u64>(ent);
    switch (<u32>w & 0xFF) {
      case O.OP_LI: SX(RD(w), IMM(w)); ent += 16; continue;
      case O.OP_C_LI: SX(RD(w), IMM(w)); ent += 8; continue;
      case O.OP_MV: SX(RD(w), X(RS1(w))); ent += 16; continue;
      case O.OP_C_MV: SX(RD(w), X(RS1(w))); ent += 8; continue;
      case O.OP_ADDI: SX(RD(w), X(RS1(w)) + IMM(w)); ent += 16; continue;
      case O.OP_C_ADDI: SX(RD(w), X(RS1(w)) + IMM(w)); ent += 8; continue;
      case O.OP_FENCE: ent += 16; continue;
      case O.OP_ADD: SX(RD(w), X(RS1(w)) + X(RS2(w))); ent += 16; continue;
      case O.OP_F_C_SRLI_C_ADD: SX(RD(w), X(RS1(w)) >> IMM(w)); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_C_ADD: SX(RD(w), X(RS1(w)) + X(RS2(w))); ent += 8; continue;
      case O.OP_SUB: SX(RD(w), X(RS1(w)) - X(RS2(w))); ent += 16; continue;
      case O.OP_C_SUB: SX(RD(w), X(RS1(w)) - X(RS2(w))); ent += 8; continue;
      case O.OP_LUI: SX(RD(w), IMM(w) << 12); ent += 16; continue;
      case O.OP_C_LUI: SX(RD(w), IMM(w) << 12); ent += 8; continue;
      case O.OP_AUIPC: SX(RD(w), pcBase + ((ent - slotBase) >> 2) + (IMM(w) << 12)); ent += 16; continue;
      case O.OP_SLTI: SX(RD(w), <i64>X(RS1(w)) < <i64>IMM(w) ? 1 : 0); ent += 16; continue;
      case O.OP_SLTIU: SX(RD(w), X(RS1(w)) < IMM(w) ? 1 : 0); ent += 16; continue;
      case O.OP_XORI: SX(RD(w), X(RS1(w)) ^ IMM(w)); ent += 16; continue;
      case O.OP_ORI: SX(RD(w), X(RS1(w)) | IMM(w)); ent += 16; continue;
      case O.OP_ANDI: SX(RD(w), X(RS1(w)) & IMM(w)); ent += 16; continue;
      case O.OP_C_ANDI: SX(RD(w), X(RS1(w)) & IMM(w)); ent += 8; continue;
      case O.OP_SLLI: SX(RD(w), X(RS1(w)) << IMM(w)); ent += 16; continue;
      case O.OP_C_SLLI: SX(RD(w), X(RS1(w)) << IMM(w)); ent += 8; continue;
      // Fused pairs run their first instruction, step to the second entry and
      // fall into its case: one dispatch, and no code or locals of their own.
      case O.OP_F_SLLI_SRLI: SX(RD(w), X(RS1(w)) << IMM(w)); ent += 16; w = load<u64>(ent); // falls through
      case O.OP_SRLI: SX(RD(w), X(RS1(w)) >> IMM(w)); ent += 16; continue;
      case O.OP_F_SLLI_C_SRLI: SX(RD(w), X(RS1(w)) << IMM(w)); ent += 16; w = load<u64>(ent); // falls through
      case O.OP_C_SRLI: SX(RD(w), X(RS1(w)) >> IMM(w)); ent += 8; continue;
      case O.OP_SRAI: SX(RD(w), <u64>(<i64>X(RS1(w)) >> <i64>IMM(w))); ent += 16; continue;
      case O.OP_C_SRAI: SX(RD(w), <u64>(<i64>X(RS1(w)) >> <i64>IMM(w))); ent += 8; continue;
      case O.OP_SLL: SX(RD(w), X(RS1(w)) << (X(RS2(w)) & 63)); ent += 16; continue;
      case O.OP_SLT: SX(RD(w), <i64>X(RS1(w)) < <i64>X(RS2(w)) ? 1 : 0); ent += 16; continue;
      case O.OP_SLTU: SX(RD(w), X(RS1(w)) < X(RS2(w)) ? 1 : 0); ent += 16; continue;
      case O.OP_XOR: SX(RD(w), X(RS1(w)) ^ X(RS2(w))); ent += 16; continue;
      case O.OP_F_SRLI_C_XOR: SX(RD(w), X(RS1(w)) >> IMM(w)); ent += 16; w = load<u64>(ent); // falls through
      case O.OP_C_XOR: SX(RD(w), X(RS1(w)) ^ X(RS2(w))); ent += 8; continue;
      case O.OP_SRL: SX(RD(w), X(RS1(w)) >> (X(RS2(w)) & 63)); ent += 16; continue;
      case O.OP_SRA: SX(RD(w), <u64>(<i64>X(RS1(w)) >> <i64>(X(RS2(w)) & 63))); ent += 16; continue;
      case O.OP_OR: SX(RD(w), X(RS1(w)) | X(RS2(w))); ent += 16; continue;
      case O.OP_C_OR: SX(RD(w), X(RS1(w)) | X(RS2(w))); ent += 8; continue;
      case O.OP_F_ADDI_AND: SX(RD(w), X(RS1(w)) + IMM(w)); ent += 16; w = load<u64>(ent); // falls through
      case O.OP_AND: SX(RD(w), X(RS1(w)) & X(RS2(w))); ent += 16; continue;
      case O.OP_C_AND: SX(RD(w), X(RS1(w)) & X(RS2(w))); ent += 8; continue;
      case O.OP_F_C_ADDW_ADDIW: SX(RD(w), sext32(X(RS1(w)) + X(RS2(w)))); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_ADDIW: SX(RD(w), sext32(X(RS1(w)) + IMM(w))); ent += 16; continue;
      case O.OP_C_ADDIW: SX(RD(w), sext32(X(RS1(w)) + IMM(w))); ent += 8; continue;
      case O.OP_SLLIW: SX(RD(w), <u64><i64>(<i32>X(RS1(w)) << <i32>IMM(w))); ent += 16; continue;
      case O.OP_SRLIW: SX(RD(w), <u64><i64><i32>(<u32>X(RS1(w)) >> <u32>IMM(w))); ent += 16; continue;
      case O.OP_SRAIW: SX(RD(w), <u64><i64>(<i32>X(RS1(w)) >> <i32>IMM(w))); ent += 16; continue;
      case O.OP_F_MULW_ADDW: SX(RD(w), sext32(X(RS1(w)) * X(RS2(w)))); ent += 16; w = load<u64>(ent); // falls through
      case O.OP_ADDW: SX(RD(w), sext32(X(RS1(w)) + X(RS2(w)))); ent += 16; continue;
      case O.OP_C_ADDW: SX(RD(w), sext32(X(RS1(w)) + X(RS2(w)))); ent += 8; continue;
      case O.OP_SUBW: SX(RD(w), sext32(X(RS1(w)) - X(RS2(w)))); ent += 16; continue;
      case O.OP_C_SUBW: SX(RD(w), sext32(X(RS1(w)) - X(RS2(w)))); ent += 8; continue;
      case O.OP_SLLW: SX(RD(w), <u64><i64>(<i32>X(RS1(w)) << (<i32>X(RS2(w)) & 31))); ent += 16; continue;
      case O.OP_SRLW: SX(RD(w), <u64><i64><i32>(<u32>X(RS1(w)) >> (<u32>X(RS2(w)) & 31))); ent += 16; continue;
      case O.OP_SRAW: SX(RD(w), <u64><i64>(<i32>X(RS1(w)) >> (<i32>X(RS2(w)) & 31))); ent += 16; continue;
      case O.OP_MUL: SX(RD(w), X(RS1(w)) * X(RS2(w))); ent += 16; continue;
      case O.OP_MULH: SX(RD(w), mulh(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_MULHSU: SX(RD(w), mulhsu(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_MULHU: SX(RD(w), mulhu(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_DIV: SX(RD(w), div64(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_DIVU: SX(RD(w), divu64(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_REM: SX(RD(w), rem64(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_REMU: SX(RD(w), remu64(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_F_C_ADDIW_MULW: SX(RD(w), sext32(X(RS1(w)) + IMM(w))); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_MULW: SX(RD(w), sext32(X(RS1(w)) * X(RS2(w)))); ent += 16; continue;
      case O.OP_DIVW: SX(RD(w), div32(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_DIVUW: SX(RD(w), divu32(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_REMW: SX(RD(w), rem32(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_REMUW: SX(RD(w), remu32(X(RS1(w)), X(RS2(w)))); ent += 16; continue;
      case O.OP_LD: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        SX(RD(w), load<u64>(<usize>(va + load<u64>(t, 8))));
        ent += 16;
        continue;
      }
      case O.OP_C_LD: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        SX(RD(w), load<u64>(<usize>(va + load<u64>(t, 8))));
        ent += 8;
        continue;
      }
      case O.OP_LW: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF003)) return exitSlow(ent, left);
        SX(RD(w), <u64><i64>load<i32>(<usize>(va + load<u64>(t, 8))));
        ent += 16;
        continue;
      }
      case O.OP_C_LW: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF003)) return exitSlow(ent, left);
        SX(RD(w), <u64><i64>load<i32>(<usize>(va + load<u64>(t, 8))));
        ent += 8;
        continue;
      }
      case O.OP_LWU: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF003)) return exitSlow(ent, left);
        SX(RD(w), <u64>load<u32>(<usize>(va + load<u64>(t, 8))));
        ent += 16;
        continue;
      }
      case O.OP_LH: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF001)) return exitSlow(ent, left);
        SX(RD(w), <u64><i64>load<i16>(<usize>(va + load<u64>(t, 8))));
        ent += 16;
        continue;
      }
      case O.OP_LHU: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF001)) return exitSlow(ent, left);
        SX(RD(w), <u64>load<u16>(<usize>(va + load<u64>(t, 8))));
        ent += 16;
        continue;
      }
      case O.OP_LB: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF000)) return exitSlow(ent, left);
        SX(RD(w), <u64><i64>load<i8>(<usize>(va + load<u64>(t, 8))));
        ent += 16;
        continue;
      }
      case O.OP_LBU: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF000)) return exitSlow(ent, left);
        SX(RD(w), <u64>load<u8>(<usize>(va + load<u64>(t, 8))));
        ent += 16;
        continue;
      }
      case O.OP_SD: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        store<u64>(<usize>(va + load<u64>(t, 8)), X(RS2(w)));
        ent += 16;
        continue;
      }
      case O.OP_C_SD: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        store<u64>(<usize>(va + load<u64>(t, 8)), X(RS2(w)));
        ent += 8;
        continue;
      }
      case O.OP_SW: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF003)) return exitSlow(ent, left);
        store<u32>(<usize>(va + load<u64>(t, 8)), <u32>X(RS2(w)));
        ent += 16;
        continue;
      }
      case O.OP_C_SW: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF003)) return exitSlow(ent, left);
        store<u32>(<usize>(va + load<u64>(t, 8)), <u32>X(RS2(w)));
        ent += 8;
        continue;
      }
      case O.OP_SH: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF001)) return exitSlow(ent, left);
        store<u16>(<usize>(va + load<u64>(t, 8)), <u16>X(RS2(w)));
        ent += 16;
        continue;
      }
      case O.OP_SB: {
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF000)) return exitSlow(ent, left);
        store<u8>(<usize>(va + load<u64>(t, 8)), <u8>X(RS2(w)));
        ent += 16;
        continue;
      }
      case O.OP_FLD: {
        if ((hart.mstatus & hart.MSTATUS_FS) == 0) return exitSlow(ent, left);
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        store<u64>(FREGS + RD(w), load<u64>(<usize>(va + load<u64>(t, 8))));
        hart.mstatus |= hart.MSTATUS_FS_DIRTY;
        ent += 16;
        continue;
      }
      case O.OP_C_FLD: {
        if ((hart.mstatus & hart.MSTATUS_FS) == 0) return exitSlow(ent, left);
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        store<u64>(FREGS + RD(w), load<u64>(<usize>(va + load<u64>(t, 8))));
        hart.mstatus |= hart.MSTATUS_FS_DIRTY;
        ent += 8;
        continue;
      }
      case O.OP_FLW: {
        if ((hart.mstatus & hart.MSTATUS_FS) == 0) return exitSlow(ent, left);
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_READ, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF003)) return exitSlow(ent, left);
        store<u64>(FREGS + RD(w), <u64>load<u32>(<usize>(va + load<u64>(t, 8))) | BOX);
        hart.mstatus |= hart.MSTATUS_FS_DIRTY;
        ent += 16;
        continue;
      }
      case O.OP_FSD: {
        if ((hart.mstatus & hart.MSTATUS_FS) == 0) return exitSlow(ent, left);
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        store<u64>(<usize>(va + load<u64>(t, 8)), load<u64>(FREGS + RS2(w)));
        ent += 16;
        continue;
      }
      case O.OP_C_FSD: {
        if ((hart.mstatus & hart.MSTATUS_FS) == 0) return exitSlow(ent, left);
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF007)) return exitSlow(ent, left);
        store<u64>(<usize>(va + load<u64>(t, 8)), load<u64>(FREGS + RS2(w)));
        ent += 8;
        continue;
      }
      case O.OP_FSW: {
        if ((hart.mstatus & hart.MSTATUS_FS) == 0) return exitSlow(ent, left);
        const va = X(RS1(w)) + IMM(w);
        const t = tlbProbe(TLB_WRITE, va);
        if (load<u64>(t) != (va & 0xFFFFFFFFFFFFF003)) return exitSlow(ent, left);
        store<u32>(<usize>(va + load<u64>(t, 8)), <u32>load<u64>(FREGS + RS2(w)));
        ent += 16;
        continue;
      }
      case O.OP_JAL: next = ent + (<usize>IMM(w) << 2); SX(RD(w), pcBase + ((ent - slotBase) >> 2) + 4); break;
      case O.OP_F_C_ADDW_C_JAL: SX(RD(w), sext32(X(RS1(w)) + X(RS2(w)))); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_C_JAL: next = ent + (<usize>IMM(w) << 2); SX(RD(w), pcBase + ((ent - slotBase) >> 2) + 2); break;
      case O.OP_JALR: {
        const t = (X(RS1(w)) + IMM(w)) & ~<u64>1;
        SX(RD(w), pcBase + ((ent - slotBase) >> 2) + 4);
        if (t - pcBase >= 4096) {
          exitLeft = left;
          exitTarget = t;
          return EXIT_JUMP;
        }
        next = slotBase + (<usize>(t - pcBase) << 2);
        break;
      }
      case O.OP_C_JALR: {
        const t = (X(RS1(w)) + IMM(w)) & ~<u64>1;
        SX(RD(w), pcBase + ((ent - slotBase) >> 2) + 2);
        if (t - pcBase >= 4096) {
          exitLeft = left;
          exitTarget = t;
          return EXIT_JUMP;
        }
        next = slotBase + (<usize>(t - pcBase) << 2);
        break;
      }
      case O.OP_BEQ: if (X(RS1(w)) == X(RS2(w))) next = ent + (<usize>IMM(w) << 2); else next = ent + 16; break;
      case O.OP_F_C_SRLI_C_BEQ: SX(RD(w), X(RS1(w)) >> IMM(w)); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_C_BEQ: if (X(RS1(w)) == 0) next = ent + (<usize>IMM(w) << 2); else next = ent + 8; break;
      case O.OP_F_C_ADDI_BNE: SX(RD(w), X(RS1(w)) + IMM(w)); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_BNE: if (X(RS1(w)) != X(RS2(w))) next = ent + (<usize>IMM(w) << 2); else next = ent + 16; break;
      case O.OP_F_C_ADDIW_C_BNE: SX(RD(w), sext32(X(RS1(w)) + IMM(w))); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_C_BNE: if (X(RS1(w)) != 0) next = ent + (<usize>IMM(w) << 2); else next = ent + 8; break;
      case O.OP_BLT: if (<i64>X(RS1(w)) < <i64>X(RS2(w))) next = ent + (<usize>IMM(w) << 2); else next = ent + 16; break;
      case O.OP_BGE: if (<i64>X(RS1(w)) >= <i64>X(RS2(w))) next = ent + (<usize>IMM(w) << 2); else next = ent + 16; break;
      case O.OP_BLTU: if (X(RS1(w)) < X(RS2(w))) next = ent + (<usize>IMM(w) << 2); else next = ent + 16; break;
      case O.OP_F_C_SRLI_BGEU: SX(RD(w), X(RS1(w)) >> IMM(w)); ent += 8; w = load<u64>(ent); // falls through
      case O.OP_BGEU: if (X(RS1(w)) >= X(RS2(w))) next = ent + (<usize>IMM(w) << 2); else next = ent + 16; break;
      default:
        // F/D computational ops: a call, but no value of this loop lives across it.
        if ((<u32>w & 0xFF) >= O.OP_FMADD_S && (<u32>w & 0xFF) <= O.OP_FCVT_D_S && executeFp(<u32>w & 0xFF, <u32>(RD(w) >> 3), <u32>(RS1(w) >> 3), <u32>(RS2(w) >> 3), <i32>IMM(w))) {
          ent += 16;
          continue;
        }
        return exitSlow(ent, left);
    }
    // A control transfer to the entry `next`: enter its block here if it is in
    // this page, decoded, and fits the budget. The subtraction wraps for
    // targets below the page, so one unsigned compare checks both ends.
    // An undecoded entry has count 0 and op 0, which returns to run() to decode it.
    if (next - slotBase < 0x4000) {
      const count = countOf(load<u64>(next));
      if (count < left) {
        left -= count;
        ent = next;
        continue;
      }
    }
    exitEnt = ent;
    exitLeft = left;
    exitTarget = pcBase + <u64>(<i64><i32>(next - slotBase) >> 2);
    return EXIT_JUMP;
  }
  return EXIT_SLOW;
}

export function run(budget: u64): u32 {
  let n: u64 = 0; // instructions retired in this call (including the rest of the current block)
  let idle: u64 = 0; // cycles skipped in wfi during this call
  let limit: u64 = 0; // n at which to look at events, timers and the budget
  let target = hart.pc; // pc of the next block to enter
  let pageVA: u64 = 1; // virtual page of the cached slot in use (1: none)
  let slot: usize = 0;
  let pageHost: usize = 0;
  let pcBase: u64 = 0; // pc = pcBase + ((ent - slotBase) >> 2)
  let slotBase: usize = 0;
  let ent: usize = 0;
  let ecall = false;

  while (true) {
    // ---- between blocks: events, interrupts, budget -------------------------
    if (pending != 0 || n >= limit) {
      unpatch();
      hart.liveRetired = n;
      const ev = pending;
      pending = 0;
      if ((ev & (EV_ABSENT | EV_FAULT)) != 0) return leave(target, n, idle, (ev & EV_ABSENT) != 0 ? EXIT_PAGE_ABSENT : EXIT_FAULT);
      if ((ev & EV_TRAP) != 0) {
        if (userTrapExits && hart.priv == hart.PRIV_U) return leave(target, n, idle, EXIT_TRAP);
        const handler = enterTrap(trapCause, trapValue, target);
        // A handler whose own fetch faults traps to itself forever: stop the machine.
        if (handler == target && (trapCause == CAUSE_FETCH_ACCESS || trapCause == CAUSE_FETCH_PAGE)) {
          haltReason = FAULT_TRAP_LOOP;
          return leave(target, n, idle, EXIT_FAULT);
        }
        target = handler;
        // Trap entry takes a cycle, so that any storm of traps ends with the budget.
        hart.idleCycles++;
        idle++;
        pending = 0;
        hart.waiting = false;
      }
      if (ev != 0) pageVA = 1;
      if (ecall) return leave(target, n, idle, EXIT_ECALL);
      if ((ev & EV_HALT) != 0) return leave(target, n, idle, EXIT_HALT);
      // The store to QueueNotify retired; the host serves the queue (and drains the console) before the next instruction.
      if ((ev & EV_NOTIFY) != 0) return leave(target, n, idle, EXIT_NOTIFY);
      if ((ev & EV_CONSOLE_FULL) != 0) return leave(target, n, idle, EXIT_CONSOLE_FULL);
      updateTimerBits();
      if (hart.waiting && (hart.mip & hart.mie) == 0) {
        // wfi: move guest time forward to the next armed timer. A wait longer
        // than the budget goes on in the next run(): the hart stays waiting.
        const wait = cyclesToNextTimer();
        if (wait == NO_TIMER) return leave(target, n, idle, EXIT_IDLE);
        const room = budget - n - idle;
        if (wait > room) {
          hart.idleCycles += room;
          idle += room;
          return leave(target, n, idle, EXIT_BUDGET);
        }
        hart.idleCycles += wait;
        idle += wait;
        updateTimerBits();
      }
      hart.waiting = false;
      if (n + idle >= budget) return leave(target, n, idle, EXIT_BUDGET);
      const irq = interruptToTake();
      if (irq >= 0) {
        target = enterTrap(CAUSE_INTERRUPT | <u64>irq, 0, target);
        pending = 0;
        pageVA = 1;
      }
      limit = budget - idle;
      const t = cyclesToNextTimer();
      if (t != 0 && t < limit - n) limit = n + t;
    }

    // ---- enter the block at target ------------------------------------------
    if ((target & ~<u64>0xFFF) != pageVA) {
      hart.liveRetired = n;
      slot = fetchSlot(target);
      if (slot == 0) continue; // fetch fault: pending
      pageVA = target & ~<u64>0xFFF;
      pageHost = fetchPageHost;
    }
    pcBase = pageVA;
    slotBase = slot;
    ent = slot + (<usize>(target & 0xFFF) << 2);
    let w = load<u64>(ent);
    if (w == 0) {
      decodeBlock(slot, pageHost, <u32>(target & 0xFFF));
      w = load<u64>(ent);
    }
    const blockCount = countOf(w);
    if (n + blockCount > limit) patchStop(ent, limit - n);
    n += blockCount;

    // ---- run the block --------------------------------------------------------
    while (true) {
      // execute() chains only into blocks that fit what is left of the budget
      // (none once a STOP is patched in), and never out of the scratch
      // entries of a straddling instruction.
      const left = slotBase == slot && n < limit ? limit - n : 0;
      const jumped = execute(ent, left, pcBase, slotBase) == EXIT_JUMP;
      n += left - exitLeft;
      if (jumped) {
        target = exitTarget;
        break;
      }
      ent = exitEnt;
      w = load<u64>(ent);
      let illegal = false;
      let event = false;
      switch (uncompressedOp(<u32>w & 0xFF)) {
        case O.OP_LD: case O.OP_LW: case O.OP_LWU: case O.OP_LH: case O.OP_LHU: case O.OP_LB: case O.OP_LBU: {
          const op = uncompressedOp(<u32>w & 0xFF);
          hart.liveRetired = n - countOf(w);
          const v = loadSlow(X(RS1(w)) + IMM(w), loadSize(op));
          if ((pending & EV_TRAP) != 0) { n -= countOf(w); target = pcBase + ((ent - slotBase) >> 2); break; }
          SX(RD(w), extendLoaded(op, v));
          // A device read with side effects (a PLIC claim, a UART receive) may signal an event: the load retired.
          if (pending != 0) { event = true; break; }
          ent += stepOf(w);
          continue;
        }
        case O.OP_SD: case O.OP_SW: case O.OP_SH: case O.OP_SB: {
          hart.liveRetired = n - countOf(w);
          storeSlow(X(RS1(w)) + IMM(w), 1 << (uncompressedOp(<u32>w & 0xFF) - O.OP_SB), X(RS2(w)));
          if (pending != 0) { event = true; break; }
          ent += stepOf(w);
          continue;
        }
        // execute() hands over FP loads and stores only when FP is off or the TLB misses.
        case O.OP_FLW: case O.OP_FLD: {
          if (!fpEnabled()) { illegal = true; break; }
          const wide = uncompressedOp(<u32>w & 0xFF) == O.OP_FLD;
          hart.liveRetired = n - countOf(w);
          const v = loadSlow(X(RS1(w)) + IMM(w), wide ? 8 : 4);
          if ((pending & EV_TRAP) != 0) { n -= countOf(w); target = pcBase + ((ent - slotBase) >> 2); break; }
          store<u64>(FREGS + RD(w), wide ? v : v | BOX);
          hart.mstatus |= hart.MSTATUS_FS_DIRTY;
          if (pending != 0) { event = true; break; }
          ent += stepOf(w);
          continue;
        }
        case O.OP_FSW: case O.OP_FSD: {
          if (!fpEnabled()) { illegal = true; break; }
          const wide = uncompressedOp(<u32>w & 0xFF) == O.OP_FSD;
          hart.liveRetired = n - countOf(w);
          storeSlow(X(RS1(w)) + IMM(w), wide ? 8 : 4, load<u64>(FREGS + RS2(w)));
          if (pending != 0) { event = true; break; }
          ent += stepOf(w);
          continue;
        }

        case O.OP_FENCE: ent += stepOf(w); continue;
        case O.OP_FENCE_I: target = pcBase + ((ent - slotBase) >> 2) + lenOf(w); break; // stores already dropped stale decodes
        case O.OP_ECALL: {
          n -= countOf(w);
          target = pcBase + ((ent - slotBase) >> 2);
          if (ecallExits && hart.priv == hart.PRIV_U) { ecall = true; limit = 0; break; }
          raise(CAUSE_ECALL_U + <u64>(hart.priv == hart.PRIV_M ? 3 : hart.priv), 0);
          break;
        }
        case O.OP_EBREAK: {
          n -= countOf(w);
          target = pcBase + ((ent - slotBase) >> 2);
          raise(CAUSE_BREAKPOINT, target);
          break;
        }
        case O.OP_MRET:
          if (hart.priv != hart.PRIV_M) { illegal = true; break; }
          hart.liveRetired = n - 1;
          target = returnFromM();
          break;
        case O.OP_SRET:
          if (hart.priv == hart.PRIV_U || (hart.priv == hart.PRIV_S && (hart.mstatus & hart.MSTATUS_TSR) != 0)) { illegal = true; break; }
          hart.liveRetired = n - 1;
          target = returnFromS();
          break;
        case O.OP_WFI:
          // U-mode wfi, and S-mode wfi under TW, trap (priv spec 3.1.6.6).
          if (hart.priv == hart.PRIV_U || (hart.priv == hart.PRIV_S && (hart.mstatus & hart.MSTATUS_TW) != 0)) { illegal = true; break; }
          hart.waiting = true;
          limit = 0;
          target = pcBase + ((ent - slotBase) >> 2) + lenOf(w);
          break;
        case O.OP_SFENCE_VMA:
          if (hart.priv == hart.PRIV_U || !satpAccessible()) { illegal = true; break; }
          flushTlb();
          pageVA = 1;
          target = pcBase + ((ent - slotBase) >> 2) + lenOf(w);
          break;

        case O.OP_CSRRW: case O.OP_CSRRS: case O.OP_CSRRC: case O.OP_CSRRWI: case O.OP_CSRRSI: case O.OP_CSRRCI: {
          const op = <u32>w & 0xFF;
          const csr = <u32>IMM(w) & 0xFFF;
          const field = <u32>(RS1(w) >> 3);
          const src = op >= O.OP_CSRRWI ? <u64>field : X(RS1(w));
          const kind = (op - O.OP_CSRRW) % 3; // 0 write, 1 set, 2 clear
          hart.liveRetired = n - 1;
          const old = csrRead(csr);
          if (!csrIllegal && (kind == 0 || field != 0)) csrWrite(csr, kind == 0 ? src : kind == 1 ? old | src : old & ~src);
          if (csrIllegal) { illegal = true; break; }
          SX(RD(w), old);
          target = pcBase + ((ent - slotBase) >> 2) + lenOf(w);
          break;
        }

        case O.OP_LR_W: case O.OP_SC_W: case O.OP_AMOSWAP_W: case O.OP_AMOADD_W: case O.OP_AMOXOR_W:
        case O.OP_AMOAND_W: case O.OP_AMOOR_W: case O.OP_AMOMIN_W: case O.OP_AMOMAX_W: case O.OP_AMOMINU_W:
        case O.OP_AMOMAXU_W: case O.OP_LR_D: case O.OP_SC_D: case O.OP_AMOSWAP_D: case O.OP_AMOADD_D:
        case O.OP_AMOXOR_D: case O.OP_AMOAND_D: case O.OP_AMOOR_D: case O.OP_AMOMIN_D: case O.OP_AMOMAX_D:
        case O.OP_AMOMINU_D: case O.OP_AMOMAXU_D:
          hart.liveRetired = n - countOf(w);
          executeAtomic(<u32>w & 0xFF, <u32>(RD(w) >> 3), <u32>(RS1(w) >> 3), <u32>(RS2(w) >> 3));
          if (pending != 0) { event = true; break; }
          ent += stepOf(w);
          continue;

        case O.OP_UNDECODED: {
          // Reached by execute() chaining into a block not decoded yet.
          decodeBlock(slot, pageHost, <u32>((ent - slotBase) >> 2));
          const count = countOf(load<u64>(ent));
          if (n + count > limit) patchStop(ent, limit - n);
          n += count;
          continue;
        }
        case O.OP_ILLEGAL: illegal = true; break;

        case O.OP_PAGE_END: target = pcBase + ((ent - slotBase) >> 2); break;
        case O.OP_STOP: {
          unpatch();
          n -= countOf(w);
          target = pcBase + ((ent - slotBase) >> 2);
          break;
        }
        case O.OP_STRADDLE: {
          // Execute the page-crossing instruction from a scratch entry whose
          // pc still maps to the right address, followed by OP_RESUME.
          const pc = pcBase + ((ent - slotBase) >> 2);
          hart.liveRetired = n - countOf(w);
          const hi = fetchUpperHalf(pc);
          if (pending != 0) { n -= countOf(w); target = pc; break; }
          const lo = <u32>load<u16>(pageHost + 0xFFE);
          store<u64>(STRADDLE_SCRATCH, decode32(lo | (hi << 16)) | (<u64>1 << COUNT_SHIFT));
          store<u64>(STRADDLE_SCRATCH + 16, <u64>O.OP_RESUME);
          slotBase = STRADDLE_SCRATCH - (0xFFE << 2);
          ent = STRADDLE_SCRATCH;
          continue;
        }
        case O.OP_RESUME: target = pcBase + ((ent - slotBase) >> 2); break;

        default:
          // F/D computational ops.
          if (!executeFp(<u32>w & 0xFF, <u32>(RD(w) >> 3), <u32>(RS1(w) >> 3), <u32>(RS2(w) >> 3), <i32>IMM(w))) {
            illegal = true;
            break;
          }
          ent += stepOf(w);
          continue;
      }
      // How the block ended early: an illegal instruction (it does not
      // retire), or an event raised by a store or atomic (a trap: it did not
      // retire; anything else ends the block after it).
      const pc = pcBase + ((ent - slotBase) >> 2);
      if (illegal) {
        n -= countOf(w);
        raise(CAUSE_ILLEGAL, rawInstruction(pageHost, pc));
        target = pc;
      } else if (event) {
        const retired = (pending & EV_TRAP) == 0;
        n -= retired ? countOf(w) - 1 : countOf(w);
        target = retired ? pc + lenOf(w) : pc;
      }
      break;
    }
  }
  return EXIT_BUDGET;
}
