// A calling-convention checker in the manner of Venus's `-cc`: watching a
// program one instruction at a time, it notes the callee-saved registers
// (sp, s0-s11; psABI "Integer Register Convention") when a call enters a
// checked function and compares them when that call returns. A difference
// is a violation that names the function, the register and the returning
// instruction.

/** What the checker reads of the hart. */
export interface Hart {
  getX(i: number): bigint;
}

export interface Violation {
  function: string;
  register: string;
  /** The instruction that returned (its pc). */
  at: bigint;
  onEntry: bigint;
  onReturn: bigint;
}

interface Frame {
  name: string;
  returnTo: bigint;
  saved: bigint[];
}

/** x2 (sp), x8-x9 (s0-s1), x18-x27 (s2-s11). */
const CALLEE_SAVED = [2, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
const NAMES: Record<number, string> = { 2: "sp", 8: "s0", 9: "s1" };
for (let i = 18; i <= 27; i++) NAMES[i] = `s${i - 16}`;

type Kind = "call" | "return" | "other";

export class CallingConventionChecker {
  readonly violations: Violation[] = [];
  private readonly frames: Frame[] = [];
  private readonly kinds = new Map<bigint, { kind: Kind; length: number }>();

  /**
   * `functions`: entry addresses of the functions to check (every .globl
   * function); `fetch` reads the 16-bit parcels of an instruction.
   */
  constructor(
    private readonly functions: Map<bigint, string>,
    private readonly fetch: (pc: bigint) => number | null,
    private readonly limit = 100,
  ) {}

  /** After the instruction at `pc` ran: `next` is the new pc. */
  step(pc: bigint, next: bigint, hart: Hart): void {
    const { kind, length } = this.classify(pc);
    if (kind === "call") {
      const name = this.functions.get(next);
      if (name !== undefined) this.frames.push({ name, returnTo: pc + BigInt(length), saved: CALLEE_SAVED.map((r) => hart.getX(r)) });
      return;
    }
    if (kind !== "return" || this.frames.length === 0) return;
    let i = this.frames.length - 1;
    while (i >= 0 && this.frames[i].returnTo !== next) i--;
    if (i < 0) return; // a return we did not see the call of (an unchecked caller)
    const frame = this.frames[i];
    this.frames.length = i;
    CALLEE_SAVED.forEach((r, k) => {
      const now = hart.getX(r);
      if (now !== frame.saved[k] && this.violations.length < this.limit) {
        this.violations.push({ function: frame.name, register: NAMES[r], at: pc, onEntry: frame.saved[k], onReturn: now });
      }
    });
  }

  /** jal/jalr/c.jalr that link ra are calls; jalr zero, 0(ra) and c.jr ra are returns. */
  private classify(pc: bigint): { kind: Kind; length: number } {
    const known = this.kinds.get(pc);
    if (known) return known;
    const lo = this.fetch(pc);
    let result: { kind: Kind; length: number } = { kind: "other", length: 4 };
    if (lo !== null && (lo & 3) !== 3) {
      const rs1 = (lo >> 7) & 31;
      if ((lo & 0xf07f) === 0x9002 && rs1 !== 0) result = { kind: "call", length: 2 }; // c.jalr
      else if ((lo & 0xf07f) === 0x8002 && rs1 === 1) result = { kind: "return", length: 2 }; // c.jr ra
      else result = { kind: "other", length: 2 };
    } else if (lo !== null) {
      const hi = this.fetch(pc + 2n);
      if (hi !== null) {
        const w = (lo | (hi << 16)) >>> 0;
        const op = w & 0x7f, rd = (w >>> 7) & 31, rs1 = (w >>> 15) & 31;
        if ((op === 0x6f || op === 0x67) && rd === 1) result = { kind: "call", length: 4 };
        else if (op === 0x67 && rd === 0 && rs1 === 1) result = { kind: "return", length: 4 };
      }
    }
    this.kinds.set(pc, result);
    return result;
  }
}
