// Symbols of one translation unit. A symbol is a label (section + position
// in a part), an absolute or symbolic value from .equ/.set, or undefined
// (external). Numeric local labels (`1:`) and the assembler's own labels
// get the names gas gives them (`.L1^B2`, `.L0^A`) so relocations match.

import type { SourcePosition } from "./diagnostics.ts";
import type { Expr, Value } from "./expression.ts";
import type { Section } from "./sections.ts";

export interface Sym {
  /** Map key (unique); `name` is what the ELF symbol table shows. */
  key: string;
  name: string;
  section: Section | null;
  part: number;
  offset: number;
  equ: Value | null;
  defined: boolean;
  bind: "local" | "global" | "weak";
  /** STT_* */
  type: number;
  size: Expr | null;
  usedInReloc: boolean;
  at: SourcePosition | null;
  /** Creation order, for a stable symbol table. */
  order: number;
  /** A common symbol (`.comm`): size and alignment for the linker to allocate. */
  common?: { size: number; align: number };
}

export class SymbolTable {
  readonly byKey = new Map<string, Sym>();
  private fakeCount = 0;
  private readonly fbDefined = new Map<string, number>();
  private order = 0;

  get(key: string): Sym {
    let s = this.byKey.get(key);
    if (!s) {
      s = { key, name: key, section: null, part: 0, offset: 0, equ: null, defined: false, bind: "local", type: 0, size: null, usedInReloc: false, at: null, order: this.order++ };
      this.byKey.set(key, s);
    }
    return s;
  }

  find(key: string): Sym | undefined {
    return this.byKey.get(key);
  }

  /** A label for the current location that only the assembler refers to (gas FAKE_LABEL_NAME, ".L0 " for ELF). */
  fake(): Sym {
    const s = this.get(`\u0001fake${this.fakeCount++}`);
    s.name = ".L0 ";
    return s;
  }

  /** `N:` defines the next instance of numeric label N. */
  defineNumeric(n: string): Sym {
    const k = (this.fbDefined.get(n) ?? 0) + 1;
    this.fbDefined.set(n, k);
    return this.get(numericName(n, k));
  }

  /** `Nb` is the latest instance, `Nf` the next one. */
  referenceNumeric(n: string, dir: "b" | "f"): string | null {
    const k = this.fbDefined.get(n) ?? 0;
    if (dir === "b") return k === 0 ? null : numericName(n, k);
    return numericName(n, k + 1);
  }
}

const numericName = (n: string, k: number) => `.L${n}\u0002${k}`;

export function isAssemblerLocal(name: string): boolean {
  return name.startsWith(".L");
}
