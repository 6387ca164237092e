# Sum an array of words and print the total in decimal.
        .equ    SYS_WRITE, 64
        .equ    SYS_EXIT, 93

        .data
array:  .word   12, -7, 300, 45, 0, 99, -1000, 2048, 17, 5
count:  .word   (count - array) / 4
label:  .string "sum = "
nl:     .byte   '\n'

        .bss
        .align  3
digits: .zero   32

        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        la      t0, array
        lw      t1, count
        li      s0, 0
1:      beqz    t1, 2f
        lw      t2, 0(t0)
        add     s0, s0, t2
        addi    t0, t0, 4
        addi    t1, t1, -1
        j       1b
2:
        la      a0, label
        call    puts_nonl
        mv      a0, s0
        call    print_int
        li      a0, 1
        la      a1, nl
        li      a2, 1
        li      a7, SYS_WRITE
        ecall
        li      a0, 0
        li      a7, SYS_EXIT
        ecall

# puts_nonl(a0 = NUL-terminated string)
puts_nonl:
        mv      a1, a0
        li      a2, 0
1:      add     t0, a1, a2
        lbu     t0, 0(t0)
        beqz    t0, 2f
        addi    a2, a2, 1
        j       1b
2:      li      a0, 1
        li      a7, SYS_WRITE
        ecall
        ret

# print_int(a0 = signed 64-bit integer)
print_int:
        la      t0, digits + 31
        mv      t1, t0
        li      t3, 10
        mv      t4, a0
        bgez    a0, 1f
        neg     a0, a0
1:      remu    t2, a0, t3
        addi    t2, t2, '0'
        addi    t1, t1, -1
        sb      t2, 0(t1)
        divu    a0, a0, t3
        bnez    a0, 1b
        bgez    t4, 2f
        li      t2, '-'
        addi    t1, t1, -1
        sb      t2, 0(t1)
2:      li      a0, 1
        mv      a1, t1
        sub     a2, t0, t1
        li      a7, SYS_WRITE
        ecall
        ret
