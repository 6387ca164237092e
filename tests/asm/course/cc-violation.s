# A seeded calling-convention violation: 'square' clobbers s0 and does not
# restore it; 'twice' saves and restores s0 properly. Run with
# --check-calling-convention.
        .text
        .globl  _start
        .globl  square
        .globl  twice
_start:
        li      s0, 7
        li      a0, 5
        call    twice
        call    square
        li      a7, 93
        ecall

twice:  addi    sp, sp, -16
        sd      s0, 8(sp)
        add     s0, a0, a0
        mv      a0, s0
        ld      s0, 8(sp)
        addi    sp, sp, 16
        ret

square: mul     s0, a0, a0      # s0 is callee-saved: this is the bug
        mv      a0, s0
        ret
