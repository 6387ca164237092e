# Start-up for the compiled programs: gp as newlib's crt0 sets it, then exit(main()).
        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$
        .option pop
        la      a0, __bss_start
        la      a1, _end
1:      bgeu    a0, a1, 2f
        sd      zero, 0(a0)
        addi    a0, a0, 8
        j       1b
2:      call    main
        li      a7, 93
        ecall
