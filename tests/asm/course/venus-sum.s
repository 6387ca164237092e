# A Venus (CS61C) program: a0 = call number, a1 = argument
.data
msg: .asciiz "sum 1..10 = "
arr: .word 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
.text
.globl main
main:
    la t0, arr
    li t1, 10
    li t2, 0
loop:
    lw t3, 0(t0)
    add t2, t2, t3
    addi t0, t0, 4
    addi t1, t1, -1
    bnez t1, loop
    li a0, 4
    la a1, msg
    ecall
    li a0, 1
    mv a1, t2
    ecall
    li a0, 11
    li a1, '\n'
    ecall
    li a0, 34
    li a1, 255
    ecall
    li a0, 11
    li a1, 10
    ecall
    li a0, 9
    li a1, 16
    ecall
    mv s1, a0
    li a0, 17
    li a1, 7
    ecall
