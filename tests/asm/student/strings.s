# String routines: strlen, in-place reverse, upper-casing; read-only data in .rodata.
        .section .rodata
greeting:
        .asciz  "assembly is fun"
        .string "second"
table:  .byte   'a', 'b', 'c', 0x7f, -1, 255
        .half   0x1234, -2
        .short  7
        .long   0xdeadbeef
        .quad   0x0123456789abcdef

        .bss
copy:   .zero   64

        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        la      a0, greeting
        la      a1, copy
        call    strcpy
        la      a0, copy
        call    reverse
        la      a0, copy
        call    upcase
        la      a0, copy
        call    strlen
        mv      a2, a0
        la      a1, copy
        add     t0, a1, a2
        li      t1, 10
        sb      t1, 0(t0)
        addi    a2, a2, 1
        li      a0, 1
        li      a7, 64
        ecall
        lbu     a0, table + 3
        andi    a0, a0, 0x0f
        li      a7, 93
        ecall

strlen: mv      t0, a0
1:      lbu     t1, 0(t0)
        beqz    t1, 2f
        addi    t0, t0, 1
        j       1b
2:      sub     a0, t0, a0
        ret

strcpy: lbu     t0, 0(a0)
        sb      t0, 0(a1)
        addi    a0, a0, 1
        addi    a1, a1, 1
        bnez    t0, strcpy
        ret

reverse:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        sd      a0, 8(sp)
        call    strlen
        ld      t0, 8(sp)
        add     t1, t0, a0
        addi    t1, t1, -1
1:      bgeu    t0, t1, 2f
        lbu     t2, 0(t0)
        lbu     t3, 0(t1)
        sb      t3, 0(t0)
        sb      t2, 0(t1)
        addi    t0, t0, 1
        addi    t1, t1, -1
        j       1b
2:      ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

upcase: lbu     t0, 0(a0)
        beqz    t0, 2f
        li      t1, 'a'
        bltu    t0, t1, 1f
        li      t1, 'z'
        bgtu    t0, t1, 1f
        addi    t0, t0, 'A' - 'a'
        sb      t0, 0(a0)
1:      addi    a0, a0, 1
        j       upcase
2:      ret
