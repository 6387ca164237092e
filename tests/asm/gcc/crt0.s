# Start-up for the compiled programs: gp as newlib's crt0 sets it, then
# exit(main()). .bss needs no clearing: the loader zero-fills it (PT_LOAD
# memsz beyond filesz), and clearing up to _end would touch the byte past
# .bss that ld's ALIGN(8) rounds _end to.
        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$
        .option pop
        call    main
        li      a7, 93
        ecall
