# Hello world with Linux system calls: write(1, msg, len); exit(0).
        .data
msg:    .ascii  "Hello, RISC-V!\n"
        .equ    len, . - msg

        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        li      a0, 1           # stdout
        la      a1, msg
        li      a2, len
        li      a7, 64          # write
        ecall
        li      a0, 0
        li      a7, 93          # exit
        ecall
