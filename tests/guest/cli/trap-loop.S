# Jumps to an address with no memory behind it while mtvec is 0, so the fetch
# fault traps to address 0, which faults again: the core must stop with a
# fault instead of spinning on traps that retire no instruction.
    .section .text.start, "ax"
    .globl _start
_start:
    csrw mtvec, zero
    li t0, 0x100
    jr t0

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .globl fromhost
fromhost: .dword 0
