// One translation unit: statements -> sections, symbols and fixups. Labels,
// directives and instructions are handled here; instruction selection is in
// instructions.ts, layout and relocation in layout.ts.

import { DiagnosticList, StatementError, type SourcePosition } from "./diagnostics.ts";
import { evaluate, ExprError, NotAbsolute, parseExpr, type Expr, type NameHooks, type Value } from "./expression.ts";
import { selectInstruction, type BranchSpec, type FixupKind, type Immediate, type InsnContext } from "./instructions.ts";
import { compress } from "./compress.ts";
import { SHF_ALLOC, SHF_EXECINSTR, SHF_MERGE, SHF_STRINGS, SHF_WRITE, SHT_NOBITS, SHT_PROGBITS, STT_FUNC, STT_OBJECT, STT_NOTYPE } from "./object.ts";
import { Section } from "./sections.ts";
import { parseStatement, splitLines, type LogicalLine, type Operand, type Statement } from "./source.ts";
import { SymbolTable, type Sym } from "./symbols.ts";
import { F_REGS, X_REGS } from "./registers.ts";

export type Dialect = "gnu" | "rars" | "venus";

export interface UnitOptions {
  /** RVC on at the start (gcc's rv64gc default). */
  rvc: boolean;
  /** Linker relaxation on at the start (gas default). */
  relax: boolean;
  /** Source dialect: RARS/Venus quirks are accepted silently under their ABI, with a warning otherwise. */
  dialect: Dialect;
  /** Other files `.include` may name. */
  files: Map<string, string>;
  /** Upper bound on statements processed (macro and .rept expansion included). */
  maxStatements: number;
}

interface Frame {
  lines: LogicalLine[];
  index: number;
  /** Macro arguments being substituted, for nested expansion bookkeeping. */
  depth: number;
}

interface Macro {
  params: { name: string; def: string | null; vararg: boolean }[];
  body: LogicalLine[];
  style: "gnu" | "rars";
}

const DEFAULT_SECTIONS: [string, number, number][] = [
  [".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR],
  [".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE],
  [".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE],
];

export class Assembler implements InsnContext {
  readonly sections: Section[] = [];
  readonly symbols = new SymbolTable();
  current!: Section;
  rvc: boolean;
  relax: boolean;
  readonly initialRvc: boolean;
  /** The name `.file` gave, for the STT_FILE symbol. */
  sourceFile: string | null = null;
  private readonly optionStack: { rvc: boolean; relax: boolean }[] = [];
  private readonly sectionStack: Section[] = [];
  private previous: Section | null = null;
  private readonly macros = new Map<string, Macro>();
  private readonly frames: Frame[] = [];
  private stmt!: Statement;
  private statements = 0;
  private readonly conditions: { active: boolean; taken: boolean }[] = [];
  private macroCounter = 0;
  private readonly hooks: NameHooks;
  private warnedDialect = new Set<string>();

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly options: UnitOptions,
    readonly diags: DiagnosticList,
  ) {
    this.rvc = options.rvc;
    this.initialRvc = options.rvc;
    this.relax = options.relax;
    for (const [name, type, flags] of DEFAULT_SECTIONS) this.sections.push(new Section(name, type, flags, this.sections.length));
    this.current = this.sections[0];
    this.hooks = {
      localLabel: (n, dir) => {
        const name = this.symbols.referenceNumeric(n, dir);
        if (name === null) throw new ExprError(`local label '${n}b' is not defined before this point`, 0);
        return name;
      },
      dot: () => {
        const s = this.symbols.fake();
        this.defineHere(s);
        return s.key;
      },
    };
  }

  run(): void {
    this.frames.push({ lines: splitLines(this.file, this.text), index: 0, depth: 0 });
    for (;;) {
      const frame = this.frames[this.frames.length - 1];
      if (!frame) break;
      if (frame.index >= frame.lines.length) {
        this.frames.pop();
        continue;
      }
      const line = frame.lines[frame.index++];
      if (++this.statements > this.options.maxStatements) {
        this.diags.error({ file: line.file, line: line.line, column: line.column }, `too many statements (limit ${this.options.maxStatements}; a recursive macro or .rept?)`);
        return;
      }
      this.statement(parseStatement(line), frame);
    }
    if (this.conditions.length > 0) this.diags.error({ file: this.file, line: 1, column: 1 }, "missing .endif");
  }

  // ---- statement dispatch ----------------------------------------------

  private statement(s: Statement, frame: Frame): void {
    this.stmt = s;
    try {
      if (this.conditions.length > 0 && !this.conditions[this.conditions.length - 1].active) {
        if ([".if", ".ifdef", ".ifndef", ".ifc", ".ifnc", ".else", ".elseif", ".endif"].includes(s.op)) this.conditional(s);
        return;
      }
      for (const l of s.labels) this.defineLabel(l.name, l.column);
      if (s.op === "") return;
      if (s.op.startsWith(".")) {
        this.directive(s, frame);
        return;
      }
      const macro = this.macros.get(s.op);
      if (macro) {
        this.expandMacro(s, macro, frame);
        return;
      }
      if (s.rest.includes("=") && /^\s*=[^=]/.test(s.rest)) {
        // `sym = expr` is gas's .set
        const eq = s.rest.indexOf("=");
        this.setSymbol(s.word, s.rest.slice(eq + 1), s.restColumn + eq + 1);
        return;
      }
      if (this.current.type === SHT_NOBITS) throw new StatementError(`instruction in a NOBITS section (${this.current.name})`, s.opColumn);
      const sec = this.current;
      sec.lines.push({ part: sec.tailIndex, offset: sec.tail.len, file: s.file, line: s.line });
      selectInstruction(this, s.op, s.operands, s.opColumn);
    } catch (e) {
      this.report(e, s);
    }
  }

  private report(e: unknown, s: Statement): void {
    if (e instanceof StatementError) this.diags.error(this.pos(e.column ?? s.opColumn), e.message);
    else if (e instanceof ExprError || e instanceof NotAbsolute) this.diags.error(this.pos(s.opColumn), e.message);
    else if (e instanceof RangeError || e instanceof SyntaxError || e instanceof TypeError) this.diags.error(this.pos(s.opColumn), `cannot assemble this statement: ${e.message}`);
    else throw e;
  }

  pos(column: number): SourcePosition {
    return { file: this.stmt.file, line: this.stmt.line, column };
  }

  // ---- labels and symbols ----------------------------------------------

  private defineLabel(name: string, column: number): void {
    const sym = /^\d+$/.test(name) ? this.symbols.defineNumeric(name) : this.symbols.get(name);
    if (sym.defined) throw new StatementError(`symbol '${name}' is already defined`, column);
    this.defineHere(sym);
    sym.at = this.pos(column);
  }

  defineHere(sym: Sym): void {
    sym.defined = true;
    sym.section = this.current;
    sym.part = this.current.tailIndex;
    sym.offset = this.current.tail.len;
  }

  private setSymbol(name: string, text: string, column: number): void {
    const sym = this.symbols.get(name);
    const v = this.value(text, column);
    sym.at = this.pos(column);
    sym.defined = true;
    // `.set x, label + k` (gcc's `.set .LANCHOR0, . + 0`) makes x a label itself, as in gas.
    const base = v.plus !== null && v.minus === null ? this.symbols.find(v.plus) : undefined;
    if (base && base.defined && base.section && !base.equ) {
      sym.equ = null;
      sym.section = base.section;
      sym.part = base.part;
      sym.offset = base.offset + Number(v.addend);
      return;
    }
    sym.equ = v;
    sym.section = null;
  }

  parse(text: string, column: number): Expr {
    try {
      return parseExpr(text, this.hooks);
    } catch (e) {
      if (e instanceof ExprError) throw new StatementError(e.message, column + e.offset);
      throw e;
    }
  }

  /** Parses and evaluates now: constants fold, labels stay symbolic. */
  value(text: string, column: number, foldDistances = true): Value {
    const e = this.parse(text, column);
    try {
      return this.canonical(evaluate(e, (n) => this.constantOf(n), (a, b) => this.distanceOf(a, b)), foldDistances);
    } catch (err) {
      if (err instanceof NotAbsolute) throw new StatementError(err.message, column);
      throw err;
    }
  }

  private constantOf(name: string): bigint | null {
    const s = this.symbols.find(name);
    if (s && s.equ && s.equ.plus === null && s.equ.minus === null) return s.equ.addend;
    return null;
  }

  /** Replaces symbolic .set aliases by what they stand for, and folds known label distances. */
  canonical(v: Value, foldDistances = true): Value {
    let { addend, plus, minus } = v;
    for (let guard = 0; guard < 32; guard++) {
      const p = plus ? this.symbols.find(plus) : undefined;
      const m = minus ? this.symbols.find(minus) : undefined;
      if (p?.equ) {
        addend += p.equ.addend;
        if (p.equ.minus) { if (minus) throw new StatementError("expression is too complex", this.stmt.opColumn); minus = p.equ.minus; }
        plus = p.equ.plus;
        continue;
      }
      if (m?.equ) {
        addend -= m.equ.addend;
        if (m.equ.plus && !m.equ.minus) { minus = m.equ.plus; continue; }
        minus = null;
        continue;
      }
      break;
    }
    if (foldDistances && plus && minus) {
      const d = this.knownDistance(plus, minus);
      if (d !== null) return { addend: BigInt.asIntN(64, addend + BigInt(d)), plus: null, minus: null };
    }
    return { addend: BigInt.asIntN(64, addend), plus, minus };
  }

  private distanceOf(a: string, b: string): bigint | null {
    const v = this.canonical({ addend: 0n, plus: a, minus: b });
    return v.plus === null && v.minus === null ? v.addend : null;
  }

  /** plus - minus when both are labels whose distance cannot change any more. */
  knownDistance(a: string, b: string): number | null {
    const p = this.symbols.find(a);
    const m = this.symbols.find(b);
    if (!p?.defined || !m?.defined || !p.section || p.section !== m.section) return null;
    const sec = p.section;
    if (p.part === m.part) return p.offset - m.offset;
    if (sec.hasVariable) return null;
    return this.offsetOf(sec, p.part, p.offset) - this.offsetOf(sec, m.part, m.offset);
  }

  private offsetOf(sec: Section, part: number, offset: number): number {
    let o = 0;
    for (let i = 0; i < part; i++) {
      const q = sec.parts[i];
      o += q.kind === "fixed" ? q.len : q.size;
    }
    return o + offset;
  }

  constant(text: string, column: number, what: string): bigint {
    const v = this.value(text, column);
    if (v.plus !== null || v.minus !== null) throw new StatementError(`${what} must be a constant`, column);
    return v.addend;
  }

  // ---- InsnContext -------------------------------------------------------

  xreg(o: Operand): number {
    const r = X_REGS.get(o.text.toLowerCase());
    if (r === undefined) {
      if (F_REGS.has(o.text.toLowerCase())) throw new StatementError(`expected an integer register, got float register '${o.text}'`, o.column);
      throw new StatementError(`expected an integer register, got '${o.text}'`, o.column);
    }
    return r;
  }

  freg(o: Operand): number {
    const r = F_REGS.get(o.text.toLowerCase());
    if (r === undefined) {
      if (X_REGS.has(o.text.toLowerCase())) throw new StatementError(`expected a float register, got integer register '${o.text}'`, o.column);
      throw new StatementError(`expected a float register, got '${o.text}'`, o.column);
    }
    return r;
  }

  isRegister(text: string): boolean {
    if (text.length > 5 || text.length < 2) return false;
    const t = text.toLowerCase();
    return X_REGS.has(t) || F_REGS.has(t);
  }

  imm(text: string, column: number): Immediate {
    if (text === "") throw new StatementError("expected an operand", column);
    const m = /^%(hi|lo|pcrel_hi|pcrel_lo)\s*\((.*)\)$/i.exec(text);
    if (m) {
      const mod = m[1].toLowerCase() as Immediate["mod"];
      const inner = column + text.indexOf("(") + 1;
      return { mod, value: this.value(m[2], inner) };
    }
    if (/^%/.test(text)) throw new StatementError(`unknown relocation operator '${text.split("(")[0]}'`, column);
    // A register name here is a symbol to gas (a label may be called f16); where a
    // constant is required, instruction selection reports it as a register.
    return { mod: null, value: this.value(text, column) };
  }

  emit(word: number, compressible = true): void {
    if (this.rvc && compressible) {
      const c = compress(word);
      if (c !== null) {
        this.current.u16(c);
        return;
      }
    }
    this.current.u32(word);
  }

  emit16(half: number): void {
    this.current.u16(half);
  }

  emitFixup(word: number, kind: FixupKind, value: Value, column: number): void {
    const sec = this.current;
    const relax = this.relax && kind !== "jal" && kind !== "branch";
    if (relax) sec.sawRelax = true;
    sec.fixups.push({ part: sec.tailIndex, offset: sec.tail.len, kind, size: 4, value, relax, at: this.pos(column) });
    sec.u32(word);
    if (kind === "call") sec.fixups[sec.fixups.length - 1].size = 8;
  }

  emitBranch(spec: BranchSpec, target: Value, column: number): void {
    if (spec.f3 === -1 && spec.rd !== 0 && !spec.rvc) {
      // jal with a link register: a fixed 4-byte jal (RV64 has no c.jal).
      this.emitFixup((0x6f | (spec.rd << 7)) >>> 0, "jal", target, column);
      return;
    }
    this.current.addVariable({ kind: "branch", addr: 0, size: spec.rvc ? 2 : 4, spec, target, at: this.pos(column) });
  }

  hereLabel(): string {
    const s = this.symbols.fake();
    this.defineHere(s);
    return s.key;
  }

  // ---- directives --------------------------------------------------------

  private warnDialect(what: string, column: number): void {
    if (this.options.dialect !== "gnu" || this.warnedDialect.has(what)) return;
    this.warnedDialect.add(what);
    this.diags.warning(this.pos(column), `${what} is a RARS/Venus extension, not GNU as (accepted)`);
  }

  private directive(s: Statement, frame: Frame): void {
    const ops = s.operands;
    const col = s.opColumn;
    switch (s.op) {
      case ".text": case ".data": case ".bss": case ".rodata": case ".sdata": case ".sbss":
        this.switchSection(s.op, "", "", col, ops[0]);
        return;
      case ".section": {
        if (ops.length === 0) throw new StatementError("'.section' needs a name", col);
        const flags = ops[1] ? unquote(ops[1].text) : "";
        const type = ops[2]?.text ?? "";
        this.switchSection(ops[0].text, flags, type, ops[0].column);
        return;
      }
      case ".pushsection":
        this.sectionStack.push(this.current);
        this.directive({ ...s, op: ".section" }, frame);
        return;
      case ".popsection": {
        const back = this.sectionStack.pop();
        if (!back) throw new StatementError("'.popsection' without '.pushsection'", col);
        this.previous = this.current;
        this.current = back;
        return;
      }
      case ".previous":
        if (this.previous) [this.current, this.previous] = [this.previous, this.current];
        return;
      case ".globl": case ".global": case ".local": case ".weak":
        for (const o of ops) {
          if (!/^[A-Za-z_.$][\w.$]*$/.test(o.text)) throw new StatementError(`expected a symbol name, got '${o.text}'`, o.column);
          const sym = this.symbols.get(o.text);
          sym.bind = s.op === ".local" ? "local" : s.op === ".weak" ? "weak" : "global";
        }
        return;
      case ".type": {
        if (ops.length !== 2) throw new StatementError("'.type' expects a symbol and a type (@function, @object)", col);
        const t = ops[1].text.replace(/^[@%#]/, "").replace(/^"|"$/g, "");
        const sym = this.symbols.get(ops[0].text);
        if (t === "function" || t === "STT_FUNC") sym.type = STT_FUNC;
        else if (t === "object" || t === "STT_OBJECT") sym.type = STT_OBJECT;
        else if (t === "notype" || t === "STT_NOTYPE") sym.type = STT_NOTYPE;
        else throw new StatementError(`unknown symbol type '${ops[1].text}'`, ops[1].column);
        return;
      }
      case ".size":
        if (ops.length !== 2) throw new StatementError("'.size' expects a symbol and a size", col);
        this.symbols.get(ops[0].text).size = this.parse(ops[1].text, ops[1].column);
        return;
      case ".eqv":
        this.warnDialect(".eqv", col);
      // fallthrough
      case ".equ": case ".set":
        if (ops.length !== 2) throw new StatementError(`'${s.op}' expects a symbol and a value`, col);
        this.setSymbol(ops[0].text, ops[1].text, ops[1].column);
        return;
      case ".byte": this.data(ops, 1, col); return;
      case ".half": case ".short": case ".2byte": this.data(ops, 2, col); return;
      case ".word": case ".long": case ".int": case ".4byte": this.data(ops, 4, col); return;
      case ".dword": case ".quad": case ".8byte": this.data(ops, 8, col); return;
      case ".float": this.floats(ops, 4); return;
      case ".double": this.floats(ops, 8); return;
      case ".asciiz":
        this.warnDialect(".asciiz", col);
      // fallthrough
      case ".string": case ".asciz": this.strings(ops, true, col); return;
      case ".ascii": this.strings(ops, false, col); return;
      case ".zero": case ".space": case ".skip": {
        if (ops.length < 1 || ops.length > 2) throw new StatementError(`'${s.op}' expects a size and an optional fill byte`, col);
        const n = this.constant(ops[0].text, ops[0].column, "size");
        if (n < 0n || n > 1n << 28n) throw new StatementError(`size ${n} out of range`, ops[0].column);
        const fill = ops[1] ? Number(this.constant(ops[1].text, ops[1].column, "fill") & 0xffn) : 0;
        this.space(Number(n), fill, col);
        return;
      }
      case ".align": case ".p2align": case ".balign": {
        if (ops.length < 1) throw new StatementError(`'${s.op}' expects an alignment`, col);
        const v = Number(this.constant(ops[0].text, ops[0].column, "alignment"));
        const bytes = s.op === ".balign" ? v : 2 ** v;
        if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1 << 16 || (bytes & (bytes - 1)) !== 0) {
          throw new StatementError(`alignment ${v} is not a power of two in range`, ops[0].column);
        }
        const fill = ops[1] && ops[1].text !== "" ? Number(this.constant(ops[1].text, ops[1].column, "fill")) : null;
        const max = ops[2] ? Number(this.constant(ops[2].text, ops[2].column, "maximum")) : 0;
        this.alignTo(bytes, fill, max);
        return;
      }
      case ".fill": {
        // .fill repeat, size, value: gas writes `size` bytes of a 4-byte value (higher bytes zero).
        if (ops.length < 1 || ops.length > 3) throw new StatementError("'.fill' expects repeat[, size[, value]]", col);
        const repeat = this.constant(ops[0].text, ops[0].column, "repeat count");
        const size = ops[1] ? Number(this.constant(ops[1].text, ops[1].column, "size")) : 1;
        const value = ops[2] ? BigInt.asUintN(32, this.constant(ops[2].text, ops[2].column, "value")) : 0n;
        if (repeat < 0n || repeat * BigInt(Math.max(size, 1)) > 1n << 28n) throw new StatementError(`.fill of ${repeat} items is out of range`, ops[0].column);
        if (size < 0 || size > 8) throw new StatementError(`.fill size ${size} is out of range (0..8)`, ops[1]?.column ?? col);
        for (let i = 0n; i < repeat; i++) this.put(value, size, col);
        return;
      }
      case ".comm": case ".lcomm": this.common(s.op, ops, col); return;
      case ".option": this.option(ops, col); return;
      case ".attribute": this.attribute(ops); return;
      case ".file":
        // `.file "x.c"` names the source: an STT_FILE symbol (a .loc-style `.file 1 "x.c"` is debug info).
        if (ops.length === 1 && /^".*"$/.test(ops[0].text)) this.sourceFile = unquote(ops[0].text);
        return;
      case ".ident": case ".addrsig": case ".addrsig_sym": case ".cfi_startproc": case ".cfi_endproc":
      case ".cfi_def_cfa_offset": case ".cfi_offset": case ".cfi_restore": case ".cfi_def_cfa": case ".cfi_remember_state":
      case ".cfi_restore_state": case ".cfi_sections": case ".loc": case ".end":
        return;
      case ".macro": this.defineMacro(s, frame, "gnu"); return;
      case ".endm": case ".endmacro": case ".end_macro":
        throw new StatementError(`'${s.op}' without '.macro'`, col);
      case ".include": {
        const name = ops[0] ? unquote(ops[0].text) : "";
        const text = this.options.files.get(name) ?? this.options.files.get(name.split("/").pop()!);
        if (text === undefined) throw new StatementError(`cannot find include file '${name}' (pass it with the sources)`, ops[0]?.column ?? col);
        if (this.frames.length > 32) throw new StatementError(".include nested too deeply", col);
        this.frames.push({ lines: splitLines(name, text), index: 0, depth: frame.depth + 1 });
        return;
      }
      case ".rept": {
        const n = this.constant(ops[0]?.text ?? "", ops[0]?.column ?? col, "repeat count");
        const body = this.collect(frame, [".rept", ".irp", ".irpc"], [".endr"], col);
        if (n < 0n || n > 100000n) throw new StatementError(`repeat count ${n} out of range`, col);
        const lines: LogicalLine[] = [];
        for (let i = 0n; i < n; i++) lines.push(...body);
        this.frames.push({ lines, index: 0, depth: frame.depth + 1 });
        return;
      }
      case ".irp": {
        if (ops.length < 1) throw new StatementError("'.irp' expects a name and values", col);
        const [name, ...vals] = ops[0].text.split(/\s+/).concat(ops.slice(1).map((o) => o.text));
        const body = this.collect(frame, [".rept", ".irp", ".irpc"], [".endr"], col);
        const lines: LogicalLine[] = [];
        for (const v of vals.filter((x) => x !== "")) for (const l of body) lines.push({ ...l, text: l.text.split(`\\${name}`).join(v) });
        this.frames.push({ lines, index: 0, depth: frame.depth + 1 });
        return;
      }
      case ".if": case ".ifdef": case ".ifndef": case ".ifc": case ".ifnc": case ".else": case ".elseif": case ".endif":
        this.conditional(s);
        return;
      case ".error":
        throw new StatementError(ops[0] ? unquote(ops[0].text) : ".error directive", col);
      case ".warning":
        this.diags.warning(this.pos(col), ops[0] ? unquote(ops[0].text) : ".warning directive");
        return;
      case ".globl_main":
        return;
    }
    throw new StatementError(`unknown directive '${s.op}'`, col);
  }

  /**
   * `.comm sym, size[, align]`: a local symbol (.local, or .lcomm) is given
   * space in .bss now, as gas does; a global one becomes an ELF common
   * symbol for the linker to allocate.
   */
  private common(op: string, ops: Operand[], column: number): void {
    if (ops.length < 2 || ops.length > 3) throw new StatementError(`'${op}' expects a symbol, a size and an optional alignment`, column);
    const sym = this.symbols.get(ops[0].text);
    if (sym.defined) throw new StatementError(`symbol '${ops[0].text}' is already defined`, ops[0].column);
    const size = Number(this.constant(ops[1].text, ops[1].column, "size"));
    const align = ops[2] ? Number(this.constant(ops[2].text, ops[2].column, "alignment")) : 0;
    if (size < 0 || size > 1 << 28) throw new StatementError(`size ${size} out of range`, ops[1].column);
    if (op === ".lcomm" || sym.bind === "local") {
      const saved = this.current;
      this.current = this.sections.find((x) => x.name === ".bss")!;
      if (align > 1) this.alignTo(align, null, 0);
      this.defineHere(sym);
      this.current.fill(size, 0);
      this.current = saved;
      // gas gives the symbol its size and object type (ld's gp relaxation reads the size).
      sym.size = { k: "num", v: BigInt(size) };
      if (sym.type === STT_NOTYPE) sym.type = STT_OBJECT;
      return;
    }
    sym.common = { size, align: Math.max(align, 1) };
    sym.bind = "global";
  }

  private switchSection(name: string, flagText: string, typeText: string, column: number, sub?: Operand): void {
    if (sub) throw new StatementError("subsections are not supported", sub.column);
    let sec = this.sections.find((x) => x.name === name);
    if (!sec) {
      let { type, flags } = defaultSectionKind(name);
      if (flagText !== "") {
        flags = 0;
        for (const c of flagText) {
          if (c === "a") flags |= SHF_ALLOC;
          else if (c === "w") flags |= SHF_WRITE;
          else if (c === "x") flags |= SHF_EXECINSTR;
          else if (c === "M") flags |= SHF_MERGE;
          else if (c === "S") flags |= SHF_STRINGS;
          else throw new StatementError(`unsupported section flag '${c}'`, column);
        }
      }
      if (/nobits/.test(typeText)) type = SHT_NOBITS;
      else if (/progbits/.test(typeText)) type = SHT_PROGBITS;
      sec = new Section(name, type, flags, this.sections.length);
      this.sections.push(sec);
    }
    this.previous = this.current;
    this.current = sec;
  }

  private data(ops: Operand[], size: number, column: number): void {
    const sec = this.current;
    if (ops.length === 0) throw new StatementError("expected at least one value", column);
    for (const o of ops) {
      // gas keeps a difference of code labels as an ADD/SUB pair (the linker may
      // relax the code between them); differences of data labels fold.
      const v = this.value(o.text, o.column, false);
      const codeSym = v.plus !== null && !!this.symbols.find(v.plus)?.section?.isCode;
      const folded = codeSym || !v.plus || !v.minus ? v : this.canonical(v);
      if (folded.plus === null && folded.minus === null) {
        const lo = size === 8 ? -(1n << 63n) : -(1n << BigInt(size * 8 - 1));
        const hi = size === 8 ? (1n << 64n) - 1n : (1n << BigInt(size * 8)) - 1n;
        if (folded.addend < lo || folded.addend > hi) this.diags.warning(this.pos(o.column), `value ${folded.addend} truncated to ${size} byte${size > 1 ? "s" : ""}`);
        this.put(BigInt.asUintN(size * 8, folded.addend), size, column);
        continue;
      }
      if (sec.type === SHT_NOBITS) throw new StatementError(`data in a NOBITS section (${sec.name})`, o.column);
      if (folded.plus === null) throw new StatementError("cannot subtract a symbol from a constant here", o.column);
      if (folded.minus === null && size !== 4 && size !== 8) throw new StatementError(`a ${size}-byte value cannot hold a symbol address`, o.column);
      sec.fixups.push({ part: sec.tailIndex, offset: sec.tail.len, kind: "data", size, value: folded, relax: false, at: this.pos(o.column) });
      sec.fill(size, 0);
    }
  }

  private put(v: bigint, size: number, column: number): void {
    if (this.current.type === SHT_NOBITS) {
      if (v !== 0n) throw new StatementError(`data in a NOBITS section (${this.current.name})`, column);
      this.current.fill(size, 0);
      return;
    }
    this.current.int(v, size);
  }

  private space(n: number, fill: number, column: number): void {
    if (this.current.type === SHT_NOBITS && fill !== 0) throw new StatementError(`data in a NOBITS section (${this.current.name})`, column);
    this.current.fill(n, fill);
  }

  private floats(ops: Operand[], size: 4 | 8): void {
    for (const o of ops) {
      const x = Number(o.text);
      if (Number.isNaN(x) && !/^[+-]?nan$/i.test(o.text)) throw new StatementError(`expected a floating-point number, got '${o.text}'`, o.column);
      const b = new DataView(new ArrayBuffer(8));
      if (size === 4) b.setFloat32(0, x, true);
      else b.setFloat64(0, x, true);
      for (let i = 0; i < size; i++) this.current.byte(b.getUint8(i));
    }
  }

  private strings(ops: Operand[], terminate: boolean, column: number): void {
    if (ops.length === 0) throw new StatementError("expected a string", column);
    for (const o of ops) {
      if (!/^".*"$/s.test(o.text)) throw new StatementError(`expected a quoted string, got '${o.text}'`, o.column);
      const bytes = decodeString(o.text.slice(1, -1), o.column + 1);
      if (this.current.type === SHT_NOBITS) throw new StatementError(`data in a NOBITS section (${this.current.name})`, o.column);
      for (const b of bytes) this.current.byte(b);
      if (terminate) this.current.byte(0);
    }
  }

  private alignTo(bytes: number, fill: number | null, max: number): void {
    const sec = this.current;
    if (bytes > sec.align) sec.align = bytes;
    if (sec.isCode && fill === null) {
      const minInsn = this.rvc ? 2 : 4;
      if (this.relax) {
        // gas with relaxation: pad the worst case with nops and let the
        // linker delete the excess (psABI R_RISCV_ALIGN).
        const pad = bytes - minInsn;
        if (pad <= 0) return;
        sec.sawRelax = true;
        sec.fixups.push({ part: sec.tailIndex, offset: sec.tail.len, kind: "align", size: pad, value: { addend: BigInt(pad), plus: null, minus: null }, relax: false, at: this.pos(this.stmt.opColumn) });
        let left = pad;
        if (left % 4 === 2) { sec.u16(0x0001); left -= 2; }
        while (left >= 4) { sec.u32(0x13); left -= 4; }
        return;
      }
      sec.addVariable({ kind: "align", addr: 0, size: 0, align: bytes, max, fill: null });
      return;
    }
    if (sec.hasVariable || (sec.isCode && this.relax)) {
      // Offsets are not final yet (relaxable branches, or code the linker may shrink).
      sec.addVariable({ kind: "align", addr: 0, size: 0, align: bytes, max, fill: fill ?? 0 });
      return;
    }
    const off = sec.offset;
    const pad = (bytes - (off % bytes)) % bytes;
    if (max !== 0 && pad > max) return;
    sec.fill(pad, fill ?? 0);
  }

  private option(ops: Operand[], column: number): void {
    const o = ops[0]?.text.toLowerCase();
    switch (o) {
      case "rvc": this.rvc = true; return;
      case "norvc": this.rvc = false; return;
      case "relax": this.relax = true; return;
      case "norelax": this.relax = false; return;
      case "push": this.optionStack.push({ rvc: this.rvc, relax: this.relax }); return;
      case "pop": {
        const top = this.optionStack.pop();
        if (!top) throw new StatementError("'.option pop' without '.option push'", column);
        this.rvc = top.rvc;
        this.relax = top.relax;
        return;
      }
      case "nopic": case "csr-check": case "no-csr-check": return;
      case "pic": throw new StatementError("'.option pic' is not supported (la would need the GOT); static code only", ops[0].column);
      case "arch": {
        const t = ops.slice(1).map((x) => x.text).join(",") || ops[0].text;
        if (/\+c\b|,\s*\+c/.test(t) || /^rv(32|64)[a-z]*c/.test(t.replace(/^arch,\s*/, ""))) this.rvc = true;
        if (/-c\b/.test(t)) this.rvc = false;
        return;
      }
    }
    throw new StatementError(`unknown .option '${ops[0]?.text ?? ""}'`, ops[0]?.column ?? column);
  }

  private attribute(ops: Operand[]): void {
    if (ops[0]?.text === "arch" && ops[1]) {
      const arch = unquote(ops[1].text).toLowerCase();
      const base = arch.split("_")[0];
      this.rvc = /^rv(32|64)g?[a-z0-9]*c/.test(base.replace(/\d+p\d+/g, "")) || /_c\d/.test(arch) || /^rv(32|64)[^_]*c/.test(base);
    }
  }

  // ---- macros and conditionals --------------------------------------------

  private collect(frame: Frame, openers: string[], closers: string[], column: number): LogicalLine[] {
    const body: LogicalLine[] = [];
    let depth = 1;
    while (frame.index < frame.lines.length) {
      const l = frame.lines[frame.index++];
      const op = /^\s*(?:[\w.$]+:\s*)*([.\w]+)/.exec(l.text)?.[1]?.toLowerCase() ?? "";
      if (openers.includes(op)) depth++;
      if (closers.includes(op) && --depth === 0) return body;
      body.push(l);
    }
    throw new StatementError(`missing ${closers[0]}`, column);
  }

  private defineMacro(s: Statement, frame: Frame, _style: "gnu"): void {
    const head = s.rest.trim();
    let name: string;
    let paramText: string;
    let style: Macro["style"] = "gnu";
    const rars = /^([\w.$]+)\s*\((.*)\)\s*$/.exec(head);
    if (rars) {
      this.warnDialect("RARS-style .macro name(%args)", s.opColumn);
      name = rars[1];
      paramText = rars[2];
      style = "rars";
    } else {
      const m = /^([\w.$]+)\s*,?\s*(.*)$/.exec(head);
      if (!m) throw new StatementError("'.macro' needs a name", s.opColumn);
      name = m[1];
      paramText = m[2];
    }
    const params = paramText
      .split(/\s*,\s*|\s+/)
      .filter((p) => p !== "")
      .map((p) => {
        const [n, def] = p.split("=");
        const vararg = /:vararg$/.test(n);
        return { name: n.replace(/:(req|vararg)$/, "").replace(/^%/, ""), def: def ?? null, vararg };
      });
    const body = this.collect(frame, [".macro"], [".endm", ".endmacro", ".end_macro"], s.opColumn);
    this.macros.set(name.toLowerCase(), { params, body, style });
  }

  private expandMacro(s: Statement, m: Macro, frame: Frame): void {
    if (frame.depth > 64) throw new StatementError(`macro '${s.op}' nested too deeply (recursive?)`, s.opColumn);
    let args: string[];
    let rest = s.rest.trim();
    if (m.style === "rars" && rest.startsWith("(") && rest.endsWith(")")) rest = rest.slice(1, -1);
    args = rest === "" ? [] : rest.includes(",") ? s.operands.map((o) => o.text) : rest.split(/\s+/);
    if (m.style === "rars" && rest !== s.rest.trim()) args = rest === "" ? [] : rest.split(",").map((x) => x.trim());
    const values = new Map<string, string>();
    m.params.forEach((p, i) => {
      if (p.vararg) values.set(p.name, args.slice(i).join(", "));
      else values.set(p.name, args[i] !== undefined && args[i] !== "" ? args[i] : p.def ?? "");
    });
    if (args.length > m.params.length && !m.params.some((p) => p.vararg)) {
      throw new StatementError(`too many arguments to macro '${s.op}' (takes ${m.params.length})`, s.restColumn);
    }
    const counter = String(this.macroCounter++);
    const sigil = m.style === "rars" ? "%" : "\\";
    const names = [...values.keys()].sort((a, b) => b.length - a.length);
    const lines = m.body.map((l) => {
      let t = l.text;
      for (const n of names) t = t.split(sigil + n).join(values.get(n)!);
      if (m.style === "gnu") t = t.split("\\@").join(counter).split("\\()").join("");
      return { file: s.file, line: s.line, text: t, column: s.opColumn };
    });
    this.frames.push({ lines, index: 0, depth: frame.depth + 1 });
  }

  private conditional(s: Statement): void {
    const top = this.conditions[this.conditions.length - 1];
    const parentActive = this.conditions.length < 2 || this.conditions[this.conditions.length - 2].active;
    const evalCond = (): boolean => {
      const o = s.operands;
      switch (s.op) {
        case ".if": return this.constant(s.rest.trim(), s.restColumn, ".if condition") !== 0n;
        case ".elseif": return this.constant(s.rest.trim(), s.restColumn, ".elseif condition") !== 0n;
        case ".ifdef": return this.symbols.find(s.rest.trim())?.defined === true;
        case ".ifndef": return this.symbols.find(s.rest.trim())?.defined !== true;
        case ".ifc": return unquote(o[0]?.text ?? "") === unquote(o[1]?.text ?? "");
        case ".ifnc": return unquote(o[0]?.text ?? "") !== unquote(o[1]?.text ?? "");
      }
      return false;
    };
    if (s.op === ".endif") {
      if (!top) throw new StatementError("'.endif' without '.if'", s.opColumn);
      this.conditions.pop();
      return;
    }
    if (s.op === ".else" || s.op === ".elseif") {
      if (!top) throw new StatementError(`'${s.op}' without '.if'`, s.opColumn);
      const outer = this.conditions.length < 2 || this.conditions[this.conditions.length - 2].active;
      if (top.taken || !outer) top.active = false;
      else {
        top.active = s.op === ".else" ? true : evalCond();
        top.taken = top.active;
      }
      return;
    }
    const active = (this.conditions.length === 0 || this.conditions[this.conditions.length - 1].active) && evalCond();
    void parentActive;
    this.conditions.push({ active, taken: active });
  }
}

function defaultSectionKind(name: string): { type: number; flags: number } {
  if (/^\.(s?bss|tbss)(\.|$)/.test(name)) return { type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE };
  if (/^\.text(\.|$)|^\.init$|^\.fini$/.test(name)) return { type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR };
  if (/^\.(s?data|tdata|init_array|fini_array)(\.|$)/.test(name)) return { type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE };
  if (/^\.(s?rodata|srodata)(\.|$)/.test(name)) return { type: SHT_PROGBITS, flags: SHF_ALLOC };
  return { type: SHT_PROGBITS, flags: 0 };
}

export function unquote(t: string): string {
  return /^".*"$/s.test(t) ? t.slice(1, -1) : t;
}

const STRING_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, "\\": 92, '"': 34, "'": 39 };

/** gas string escapes: \n \t ... \ooo (octal) \xhh; other characters as UTF-8. */
export function decodeString(s: string, column: number): number[] {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\") {
      const code = s.charCodeAt(i);
      if (code < 0x80) out.push(code);
      else {
        const cp = s.codePointAt(i)!;
        for (const b of enc.encode(String.fromCodePoint(cp))) out.push(b);
        if (cp > 0xffff) i++;
      }
      continue;
    }
    const e = s[++i];
    if (e === undefined) throw new StatementError("string ends with a backslash", column + i);
    if (e in STRING_ESCAPES) out.push(STRING_ESCAPES[e]);
    else if (/[0-7]/.test(e)) {
      let v = 0, n = 0;
      while (n < 3 && /[0-7]/.test(s[i] ?? "")) { v = v * 8 + Number(s[i]); i++; n++; }
      i--;
      out.push(v & 0xff);
    } else if (e === "x" || e === "X") {
      let v = 0, n = 0;
      while (/[0-9a-fA-F]/.test(s[i + 1] ?? "")) { v = v * 16 + parseInt(s[i + 1], 16); i++; n++; }
      if (n === 0) throw new StatementError("\\x needs hex digits", column + i);
      out.push(v & 0xff);
    } else out.push(e.charCodeAt(0));
  }
  return out;
}
