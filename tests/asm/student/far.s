# Branch relaxation: targets beyond the reach of c.beqz (256 B), c.j (2 KiB)
# and beq (4 KiB) make gas pick longer forms; undefined targets get the
# worst case.
        .text
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$   # as crt0 does: ld relaxes data accesses to gp
        .option pop
        li      a0, 0
        beqz    a0, near            # c.beqz
        beqz    a0, mid             # beq (beyond 256 bytes)
        bnez    a0, far             # inverted branch + jal (beyond 4 KiB)
        blt     a0, a1, far         # same, 4-byte form
        j       mid                 # c.j
        j       far                 # jal (beyond 2 KiB)
near:   addi    a0, a0, 1
        .rept   100
        addi    a1, a1, 1
        .endr
mid:    .rept   1200
        nop
        .endr
        beq     a0, zero, _start    # backward, far
        .rept   1000
        addi    a2, a2, 3
        .endr
far:    call    done
        tail    done
done:   li      a0, 0
        li      a7, 93
        ecall
