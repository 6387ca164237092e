# ld 2.40 deletes relaxed bytes piecewise, at the end of a pass: the tail
# call below still sees the call's 4 bytes in that pass, misses c.j's reach
# by 2 bytes and becomes a 4-byte jal (immediate deletion would pick c.j).
        .text
target: li      a0, 0
        li      a7, 93
        ecall
        .rept   1016
        nop
        .endr
        .globl  _start
_start: call    target
        tail    target
