# Recursive Fibonacci, printing fib(0) .. fib(20), one per line.
        .text
        .globl  _start
        .type   _start, @function
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        li      s1, 0
        li      s2, 21
loop:
        mv      a0, s1
        call    fib
        call    print_uint
        addi    s1, s1, 1
        blt     s1, s2, loop
        li      a0, 0
        li      a7, 93
        ecall
        .size   _start, . - _start

        .globl  fib
        .type   fib, @function
fib:                            # a0 = n -> a0 = fib(n)
        li      t0, 2
        blt     a0, t0, .Lbase
        addi    sp, sp, -32
        sd      ra, 24(sp)
        sd      s0, 16(sp)
        sd      s1, 8(sp)
        mv      s0, a0
        addi    a0, a0, -1
        call    fib
        mv      s1, a0
        addi    a0, s0, -2
        call    fib
        add     a0, a0, s1
        ld      ra, 24(sp)
        ld      s0, 16(sp)
        ld      s1, 8(sp)
        addi    sp, sp, 32
.Lbase:
        ret
        .size   fib, . - fib

# print_uint(a0): decimal and a newline
print_uint:
        addi    sp, sp, -48
        addi    t1, sp, 40
        li      t0, '\n'
        sb      t0, 0(t1)
        li      t3, 10
1:      remu    t2, a0, t3
        addi    t2, t2, 48
        addi    t1, t1, -1
        sb      t2, 0(t1)
        divu    a0, a0, t3
        bnez    a0, 1b
        li      a0, 1
        mv      a1, t1
        addi    a2, sp, 41
        sub     a2, a2, t1
        li      a7, 64
        ecall
        addi    sp, sp, 48
        ret
