# CLI fixture: never exits, so `edgevm run --max-insns N` must stop it (exit 124).
# Exports tohost/fromhost like every bare test ELF so the loader treats it the same way.
    .section .text.start, "ax"
    .globl _start
_start:
    li t0, 0
1:  addi t0, t0, 1
    j 1b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0
