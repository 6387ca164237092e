# .option rvc/norvc/push/pop and norelax regions, alignment in each state.
        .option norvc
        .text
        .globl  _start
_start: addi    sp, sp, -16
        mv      a0, a1
        .option rvc
        addi    sp, sp, 16
        mv      a0, a1
        .align  3
        .option push
        .option norvc
        .option norelax
        li      a0, 0
        beqz    a0, 1f
        .align  3
        call    exit_now
        .option pop
1:      li      a0, 0
        beqz    a0, 2f
        .balign 8
2:      call    exit_now
exit_now:
        li      a7, 93
        ecall
