# Bubble sort of a .dword array, then print it (pseudo-branches bgt/ble/bgtu/bleu).
        .data
        .align  3
values: .dword  42, -3, 17, 99, 0, 5, -100, 64, 23, 8, 1, 77
        .equ    N, 12
sep:    .ascii  " "
eol:    .ascii  "\n"
        .section .bss
buf:    .space  24

        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        la      s0, values
        li      s1, N
        addi    s2, s1, -1          # outer counter
outer:  blez    s2, done
        li      t0, 0               # i
        mv      t5, s0
inner:  bge     t0, s2, next
        ld      t1, 0(t5)
        ld      t2, 8(t5)
        ble     t1, t2, noswap
        sd      t2, 0(t5)
        sd      t1, 8(t5)
noswap: addi    t0, t0, 1
        addi    t5, t5, 8
        j       inner
next:   addi    s2, s2, -1
        j       outer
done:
        li      s2, 0
print:  bgeu    s2, s1, finish
        slli    t0, s2, 3
        add     t0, t0, s0
        ld      a0, 0(t0)
        jal     print_int
        la      a1, sep
        li      a2, 1
        jal     write
        addi    s2, s2, 1
        j       print
finish: la      a1, eol
        li      a2, 1
        jal     write
        li      a0, 0
        li      a7, 93
        ecall

write:  li      a0, 1
        li      a7, 64
        ecall
        ret

print_int:
        addi    sp, sp, -16
        sd      ra, 8(sp)
        la      t1, buf + 24
        mv      t4, a0
        bgez    a0, 1f
        neg     a0, a0
1:      li      t3, 10
2:      remu    t2, a0, t3
        addi    t2, t2, '0'
        addi    t1, t1, -1
        sb      t2, (t1)
        divu    a0, a0, t3
        bgtu    a0, zero, 2b
        bgez    t4, 3f
        li      t2, '-'
        addi    t1, t1, -1
        sb      t2, (t1)
3:      mv      a1, t1
        la      a2, buf + 24
        sub     a2, a2, a1
        jal     write
        ld      ra, 8(sp)
        addi    sp, sp, 16
        ret
