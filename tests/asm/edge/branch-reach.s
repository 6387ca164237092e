# Branch relaxation at the edges of each form's reach (c.beqz +-256 B, c.j +-2 KiB,
# beq +-4 KiB), forward and backward (backward ones not taken, so the program ends).
        .text
        .globl  _start
_start:
        beqz a0, f1
        .rept   125
        nop
        .endr
f1:
        beqz a0, f2
        .rept   126
        nop
        .endr
f2:
        beqz a0, f3
        .rept   127
        nop
        .endr
f3:
        beqz a0, f4
        .rept   128
        nop
        .endr
f4:
        beqz a0, f5
        .rept   129
        nop
        .endr
f5:
        j       f6
        .rept   1021
        nop
        .endr
f6:
        j       f7
        .rept   1022
        nop
        .endr
f7:
        j       f8
        .rept   1023
        nop
        .endr
f8:
        j       f9
        .rept   1024
        nop
        .endr
f9:
        beq a0, a1, f10
        .rept   2044
        nop
        .endr
f10:
        beq a0, a1, f11
        .rept   2045
        nop
        .endr
f11:
        beq a0, a1, f12
        .rept   2046
        nop
        .endr
f12:
        beq a0, a1, f13
        .rept   2047
        nop
        .endr
f13:
        bnez a5, f14
        .rept   2045
        nop
        .endr
f14:
        bnez a5, f15
        .rept   2046
        nop
        .endr
f15:
        bnez a5, f16
        .rept   2047
        nop
        .endr
f16:
        bnez a5, f17
        .rept   2048
        nop
        .endr
f17:
b18:
        .rept   126
        nop
        .endr
        bnez a0, b18
b19:
        .rept   127
        nop
        .endr
        bnez a0, b19
b20:
        .rept   128
        nop
        .endr
        bnez a0, b20
b21:
        .rept   1022
        nop
        .endr
        j       skip_b21
        j       b21
skip_b21:
b22:
        .rept   1023
        nop
        .endr
        j       skip_b22
        j       b22
skip_b22:
b23:
        .rept   1024
        nop
        .endr
        j       skip_b23
        j       b23
skip_b23:
b24:
        .rept   2046
        nop
        .endr
        blt a1, a0, b24
b25:
        .rept   2047
        nop
        .endr
        blt a1, a0, b25
b26:
        .rept   2048
        nop
        .endr
        blt a1, a0, b26
        li      a0, 0
        li      a7, 93
        ecall
