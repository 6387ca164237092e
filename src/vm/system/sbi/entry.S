/*
 * edgevm-sbi: reset entry and M-mode trap vector.
 *
 * Entered in M-mode at 0x8000_0000 as QEMU's (and edgevm's) reset trampoline
 * leaves a hart: a0 = hartid, a1 = DTB, a2 = the fw_dynamic info struct.
 * Everything with a choice in it lives in sbi.c; this file only does what C
 * cannot: the stack, the register frame of a trap, mret.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
	/* one hart boots; any other parks (HSM start is not offered for them) */
	csrr	t0, mhartid
	bnez	t0, park

	/* zero .bss (it holds the stack, too) */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	la	sp, __stack_top
	/* while sbi_init probes optional CSRs, a trap skips the instruction */
	la	t0, probe_vector
	csrw	mtvec, t0
	mv	s0, a0
	mv	s1, a1
	call	sbi_init		/* a0 = where S-mode starts */

	csrw	mepc, a0
	la	t0, __stack_top
	csrw	mscratch, t0
	la	t0, trap_vector
	csrw	mtvec, t0
	/* mret to S-mode (MPP = 01) with a0 = hartid, a1 = DTB, as Linux's
	 * boot protocol asks (Documentation/riscv/boot.rst) */
	li	t0, 3 << 11
	csrc	mstatus, t0
	li	t0, 1 << 11
	csrs	mstatus, t0
	mv	a0, s0
	mv	a1, s1
	li	a2, 0
	mret

park:
	wfi
	j	park

	/* A trap while probing: step over the 4-byte CSR instruction and set
	 * t6, which a probe clears first (sbi.c, csr_missing). */
	.align 4
probe_vector:
	csrw	mscratch, t0
	csrr	t0, mepc
	addi	t0, t0, 4
	csrw	mepc, t0
	csrr	t0, mscratch
	li	t6, 1
	mret

/*
 * Every trap that reaches M-mode: S-mode's ecalls and the M-level timer.
 * mscratch holds the top of the M-mode stack while S-mode runs; the frame
 * is x0..x31 by register number, so C reads a7 as regs[17].
 */
	.align 4
	.globl trap_vector
trap_vector:
	csrrw	sp, mscratch, sp
	addi	sp, sp, -256
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	csrr	t0, mscratch		/* the interrupted sp */
	sd	t0, 2*8(sp)

	mv	a0, sp
	call	sbi_trap

	addi	t0, sp, 256
	csrw	mscratch, t0
	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x4, 4*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	ld	sp, 2*8(sp)
	mret
