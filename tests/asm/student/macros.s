# Directives and expressions: .include, macros with defaults, .rept/.irp,
# numeric labels, .option push/pop, explicit %hi/%lo/%pcrel_hi/%pcrel_lo,
# alignment directives and gas's operator precedence.
        .include "syscalls.inc"

        .macro  print label, length=1
        syscall3 SYS_write, STDOUT, \label, \length
        .endm

        .macro  push reg
        addi    sp, sp, -8
        sd      \reg, 0(sp)
        .endm
        .macro  pop reg
        ld      \reg, 0(sp)
        addi    sp, sp, 8
        .endm

        .equ    MASK, (1 << 12) - 1
        .set    SHIFTED, MASK >> 4 & 0xf0 | 3
        .equ    NEG, ~0x10 + 1
        .equ    PROD, 3 * 4 + 10 / 3 - 2 % 3

        .data
title:  .ascii  "macros ok\n"
        .equ    TITLE_LEN, . - title
        .p2align 2
words:  .word   MASK, SHIFTED, NEG, PROD, TITLE_LEN, words - title
        .balign 8
        .dword  words, title + 3
squares:
        .irp    n, 1, 2, 3, 4
        .byte   \n * \n
        .endr
        .rept   3
        .half   0xbeef
        .endr
ptrs:   .quad   1f, 2f
        .section .sdata, "aw"
small:  .word   11
        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        print   title, TITLE_LEN
        push    s0
        push    ra
        lui     s0, %hi(small)
        lw      t0, %lo(small)(s0)
        addi    t0, t0, 1
        sw      t0, %lo(small)(s0)
.Lpc:   auipc   t1, %pcrel_hi(words)
        lw      t2, %pcrel_lo(.Lpc)(t1)
        pop     ra
        pop     s0
        .option push
        .option norvc
        addi    t2, t2, 1
        mv      a0, t2
        .option pop
        .align  4
1:      addi    a0, a0, -1
        bnez    a0, 1b
        j       2f
        .balign 16, 0
2:      .option push
        .option norelax
        la      t3, squares
        lbu     t4, 3(t3)
        call    check
        .option pop
        li      a0, 0
        li      a7, SYS_exit
        ecall

check:  li      t5, 16
        bne     t4, t5, 1f
        ret
1:      li      a0, 1
        li      a7, SYS_exit
        ecall
