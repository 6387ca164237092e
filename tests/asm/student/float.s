# Floating point: loads from .rodata, arithmetic, conversions, compares.
        .section .rodata
        .align  3
pi:     .double 3.141592653589793
two:    .double 2.0
half:   .float  0.5
        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        fld     fa0, pi, t0
        fld     fa1, two, t0
        flw     fa2, half, t0
        fmul.d  fa3, fa0, fa1           # 2*pi
        fcvt.d.s fa4, fa2
        fadd.d  fa3, fa3, fa4           # 2*pi + 0.5
        fcvt.l.d a0, fa3, rtz           # 6
        fsqrt.d fa5, fa1
        fmul.d  fa5, fa5, fa5
        feq.d   a1, fa5, fa1            # sqrt(2)^2 == 2 ? (no)
        fle.d   a2, fa0, fa1            # pi <= 2 ? (no)
        fmv.d   fa6, fa0
        fneg.d  fa6, fa6
        fabs.d  fa6, fa6
        feq.d   a3, fa6, fa0            # |-pi| == pi (yes)
        fmadd.d fa7, fa0, fa1, fa4
        fcvt.w.d a4, fa7                # 7 (dyn, nearest)
        add     a0, a0, a1
        add     a0, a0, a2
        add     a0, a0, a3
        add     a0, a0, a4              # 6 + 0 + 0 + 1 + 7 = 14
        frflags a5
        li      a7, 93
        ecall
