# Data near __global_pointer$: ld turns la/lui+lo and symbol loads into
# gp-relative accesses, and keeps far ones PC-relative.
        .data
a:      .word   1
b:      .dword  2
        .section .sdata,"aw"
c:      .word   3
d:      .half   4
        .bss
big:    .zero   8192
e:      .word   0

        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        lw      t0, a
        ld      t1, b
        lw      t2, c
        lh      t3, d
        add     t0, t0, t1
        add     t0, t0, t2
        add     t0, t0, t3
        sw      t0, e, t4
        la      a0, big
        lui     a1, %hi(e)
        lw      a1, %lo(e)(a1)
        lui     a2, %hi(a)
        addi    a2, a2, %lo(a)
        lw      a2, 0(a2)
        la      a3, c
        sd      a1, 8(a0)
        sub     a0, a1, t0
        addi    a0, a0, 10
        li      a7, 93
        ecall
