# Entry for bare-metal guest programs on the edgevm (and QEMU virt) board:
# the hart starts in M-mode at _start with nothing set up.
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    # Enable the FPU (mstatus.FS = Initial) so C code may use F/D.
    li t0, (1 << 13)
    csrs mstatus, t0
    csrwi fcsr, 0
    # Zero .bss.
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  li a0, 0
    li a1, 0
    call main
    call rt_exit
3:  j 3b

    # HTIF mailbox: the host watches these (riscv-tests convention).
    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0
