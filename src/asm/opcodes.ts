// The RV64GC base instruction table: mnemonic -> operand pattern and the
// instruction word with every fixed field set (the "match" value, as in the
// unprivileged spec's chapter 34 opcode listings). Operand letters:
//   d s t     integer rd (bit 7), rs1 (15), rs2 (20)
//   D S T R   float rd, rs1, rs2, rs3 (27)
//   j         12-bit signed I immediate (or %lo / %pcrel_lo)
//   o         load address imm(rs1) (I-type)     q  store address (S-type)
//   u         20-bit U immediate (or %hi / %pcrel_hi)
//   b         branch target (B-type)              J  jal target
//   >  <      6-bit / 5-bit shift amount
//   C         CSR number or name                  Z  5-bit CSR immediate
//   m         optional rounding mode (default dyn); exact conversions have rm = rne and no operand
//   A         atomic address (rs1) or 0(rs1)
//   P Q       fence predecessor / successor sets

export interface Opcode {
  pattern: string;
  match: number;
}

const r = (f7: number, f3: number, op: number) => ((f7 << 25) | (f3 << 12) | op) >>> 0;
const i = (f3: number, op: number) => ((f3 << 12) | op) >>> 0;

const table: [string, string, number][] = [
  ["lui", "d,u", 0x37],
  ["auipc", "d,u", 0x17],
  ["jal", "d,J", 0x6f],
  ["jalr", "d,o", i(0, 0x67)],
  ["beq", "s,t,b", i(0, 0x63)],
  ["bne", "s,t,b", i(1, 0x63)],
  ["blt", "s,t,b", i(4, 0x63)],
  ["bge", "s,t,b", i(5, 0x63)],
  ["bltu", "s,t,b", i(6, 0x63)],
  ["bgeu", "s,t,b", i(7, 0x63)],
  ["lb", "d,o", i(0, 0x03)],
  ["lh", "d,o", i(1, 0x03)],
  ["lw", "d,o", i(2, 0x03)],
  ["ld", "d,o", i(3, 0x03)],
  ["lbu", "d,o", i(4, 0x03)],
  ["lhu", "d,o", i(5, 0x03)],
  ["lwu", "d,o", i(6, 0x03)],
  ["sb", "t,q", i(0, 0x23)],
  ["sh", "t,q", i(1, 0x23)],
  ["sw", "t,q", i(2, 0x23)],
  ["sd", "t,q", i(3, 0x23)],
  ["addi", "d,s,j", i(0, 0x13)],
  ["slti", "d,s,j", i(2, 0x13)],
  ["sltiu", "d,s,j", i(3, 0x13)],
  ["xori", "d,s,j", i(4, 0x13)],
  ["ori", "d,s,j", i(6, 0x13)],
  ["andi", "d,s,j", i(7, 0x13)],
  ["slli", "d,s,>", i(1, 0x13)],
  ["srli", "d,s,>", i(5, 0x13)],
  ["srai", "d,s,>", r(0x20, 5, 0x13)],
  ["add", "d,s,t", r(0, 0, 0x33)],
  ["sub", "d,s,t", r(0x20, 0, 0x33)],
  ["sll", "d,s,t", r(0, 1, 0x33)],
  ["slt", "d,s,t", r(0, 2, 0x33)],
  ["sltu", "d,s,t", r(0, 3, 0x33)],
  ["xor", "d,s,t", r(0, 4, 0x33)],
  ["srl", "d,s,t", r(0, 5, 0x33)],
  ["sra", "d,s,t", r(0x20, 5, 0x33)],
  ["or", "d,s,t", r(0, 6, 0x33)],
  ["and", "d,s,t", r(0, 7, 0x33)],
  ["addiw", "d,s,j", i(0, 0x1b)],
  ["slliw", "d,s,<", i(1, 0x1b)],
  ["srliw", "d,s,<", i(5, 0x1b)],
  ["sraiw", "d,s,<", r(0x20, 5, 0x1b)],
  ["addw", "d,s,t", r(0, 0, 0x3b)],
  ["subw", "d,s,t", r(0x20, 0, 0x3b)],
  ["sllw", "d,s,t", r(0, 1, 0x3b)],
  ["srlw", "d,s,t", r(0, 5, 0x3b)],
  ["sraw", "d,s,t", r(0x20, 5, 0x3b)],
  ["fence.i", "", i(1, 0x0f)],
  ["fence.tso", "", 0x8330000f],
  ["ecall", "", 0x73],
  ["ebreak", "", 0x100073],
  ["sret", "", 0x10200073],
  ["mret", "", 0x30200073],
  ["wfi", "", 0x10500073],
  ["sfence.vma", "s,t", 0x12000073],
  // M
  ["mul", "d,s,t", r(1, 0, 0x33)],
  ["mulh", "d,s,t", r(1, 1, 0x33)],
  ["mulhsu", "d,s,t", r(1, 2, 0x33)],
  ["mulhu", "d,s,t", r(1, 3, 0x33)],
  ["div", "d,s,t", r(1, 4, 0x33)],
  ["divu", "d,s,t", r(1, 5, 0x33)],
  ["rem", "d,s,t", r(1, 6, 0x33)],
  ["remu", "d,s,t", r(1, 7, 0x33)],
  ["mulw", "d,s,t", r(1, 0, 0x3b)],
  ["divw", "d,s,t", r(1, 4, 0x3b)],
  ["divuw", "d,s,t", r(1, 5, 0x3b)],
  ["remw", "d,s,t", r(1, 6, 0x3b)],
  ["remuw", "d,s,t", r(1, 7, 0x3b)],
  // Zicsr
  ["csrrw", "d,C,s", i(1, 0x73)],
  ["csrrs", "d,C,s", i(2, 0x73)],
  ["csrrc", "d,C,s", i(3, 0x73)],
  ["csrrwi", "d,C,Z", i(5, 0x73)],
  ["csrrsi", "d,C,Z", i(6, 0x73)],
  ["csrrci", "d,C,Z", i(7, 0x73)],
  // F and D loads/stores
  ["flw", "D,o", i(2, 0x07)],
  ["fld", "D,o", i(3, 0x07)],
  ["fsw", "T,q", i(2, 0x27)],
  ["fsd", "T,q", i(3, 0x27)],
];

// A: funct5 at 27; .w is funct3 2, .d is 3. lr has no rs2.
const AMO: [string, number][] = [
  ["amoadd", 0x00], ["amoswap", 0x01], ["amoxor", 0x04], ["amoor", 0x08], ["amoand", 0x0c],
  ["amomin", 0x10], ["amomax", 0x14], ["amominu", 0x18], ["amomaxu", 0x1c],
];
for (const [w, f3] of [["w", 2], ["d", 3]] as const) {
  const ordered = (name: string, pattern: string, match: number) => {
    table.push([name, pattern, match]);
    table.push([name + ".aq", pattern, (match | (1 << 26)) >>> 0]);
    table.push([name + ".rl", pattern, (match | (1 << 25)) >>> 0]);
    table.push([name + ".aqrl", pattern, (match | (3 << 25)) >>> 0]);
  };
  ordered(`lr.${w}`, "d,A", ((0x02 << 27) | (f3 << 12) | 0x2f) >>> 0);
  ordered(`sc.${w}`, "d,t,A", ((0x03 << 27) | (f3 << 12) | 0x2f) >>> 0);
  for (const [name, f5] of AMO) ordered(`${name}.${w}`, "d,t,A", ((f5 << 27) | (f3 << 12) | 0x2f) >>> 0);
}

// F and D arithmetic: fmt 0 (S) / 1 (D) in bits 25-26.
for (const [sfx, fmt] of [["s", 0], ["d", 1]] as const) {
  const f = (f7: number) => f7 | fmt;
  table.push(
    [`fmadd.${sfx}`, "D,S,T,R,m", ((fmt << 25) | 0x43) >>> 0],
    [`fmsub.${sfx}`, "D,S,T,R,m", ((fmt << 25) | 0x47) >>> 0],
    [`fnmsub.${sfx}`, "D,S,T,R,m", ((fmt << 25) | 0x4b) >>> 0],
    [`fnmadd.${sfx}`, "D,S,T,R,m", ((fmt << 25) | 0x4f) >>> 0],
    [`fadd.${sfx}`, "D,S,T,m", r(f(0x00), 0, 0x53)],
    [`fsub.${sfx}`, "D,S,T,m", r(f(0x04), 0, 0x53)],
    [`fmul.${sfx}`, "D,S,T,m", r(f(0x08), 0, 0x53)],
    [`fdiv.${sfx}`, "D,S,T,m", r(f(0x0c), 0, 0x53)],
    [`fsqrt.${sfx}`, "D,S,m", r(f(0x2c), 0, 0x53)],
    [`fsgnj.${sfx}`, "D,S,T", r(f(0x10), 0, 0x53)],
    [`fsgnjn.${sfx}`, "D,S,T", r(f(0x10), 1, 0x53)],
    [`fsgnjx.${sfx}`, "D,S,T", r(f(0x10), 2, 0x53)],
    [`fmin.${sfx}`, "D,S,T", r(f(0x14), 0, 0x53)],
    [`fmax.${sfx}`, "D,S,T", r(f(0x14), 1, 0x53)],
    [`feq.${sfx}`, "d,S,T", r(f(0x50), 2, 0x53)],
    [`flt.${sfx}`, "d,S,T", r(f(0x50), 1, 0x53)],
    [`fle.${sfx}`, "d,S,T", r(f(0x50), 0, 0x53)],
    [`fclass.${sfx}`, "d,S", r(f(0x70), 1, 0x53)],
    [`fcvt.w.${sfx}`, "d,S,m", (r(f(0x60), 0, 0x53) | (0 << 20)) >>> 0],
    [`fcvt.wu.${sfx}`, "d,S,m", (r(f(0x60), 0, 0x53) | (1 << 20)) >>> 0],
    [`fcvt.l.${sfx}`, "d,S,m", (r(f(0x60), 0, 0x53) | (2 << 20)) >>> 0],
    [`fcvt.lu.${sfx}`, "d,S,m", (r(f(0x60), 0, 0x53) | (3 << 20)) >>> 0],
    // Conversions from 32-bit integers into double are exact: gas encodes rne and takes no rm.
    [`fcvt.${sfx}.w`, sfx === "d" ? "D,s" : "D,s,m", (r(f(0x68), 0, 0x53) | (0 << 20)) >>> 0],
    [`fcvt.${sfx}.wu`, sfx === "d" ? "D,s" : "D,s,m", (r(f(0x68), 0, 0x53) | (1 << 20)) >>> 0],
    [`fcvt.${sfx}.l`, "D,s,m", (r(f(0x68), 0, 0x53) | (2 << 20)) >>> 0],
    [`fcvt.${sfx}.lu`, "D,s,m", (r(f(0x68), 0, 0x53) | (3 << 20)) >>> 0],
  );
}
table.push(
  ["fcvt.s.d", "D,S,m", (r(0x20, 0, 0x53) | (1 << 20)) >>> 0],
  ["fcvt.d.s", "D,S", r(0x21, 0, 0x53)],
  ["fmv.x.w", "d,S", r(0x70, 0, 0x53)],
  ["fmv.x.s", "d,S", r(0x70, 0, 0x53)],
  ["fmv.w.x", "D,s", r(0x78, 0, 0x53)],
  ["fmv.s.x", "D,s", r(0x78, 0, 0x53)],
  ["fmv.x.d", "d,S", r(0x71, 0, 0x53)],
  ["fmv.d.x", "D,s", r(0x79, 0, 0x53)],
);

export const OPCODES = new Map<string, Opcode>(table.map(([name, pattern, match]) => [name, { pattern, match }]));
