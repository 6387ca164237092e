	.file	"switch.c"
	.option nopic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.section	.text.startup,"ax",@progbits
	.align	1
	.globl	main
	.type	main, @function
main:
	addi	sp,sp,-64
	sd	s2,32(sp)
	lui	s2,%hi(.L4)
	sd	s0,48(sp)
	sd	s1,40(sp)
	sd	s3,24(sp)
	sd	s4,16(sp)
	sd	s5,8(sp)
	sd	ra,56(sp)
	li	s1,2
	li	s0,1
	li	s4,10
	li	s5,8
	addi	s2,s2,%lo(.L4)
	li	s3,14
.L13:
	addiw	a4,s1,-2
	remw	a4,a4,s4
	addi	a5,s1,-2
	add	a5,a5,s0
	sext.w	a3,s1
	li	s0,-1
	sext.w	a2,a4
	bgtu	a2,s5,.L2
	slli	a2,a4,32
	srli	a4,a2,30
	add	a4,a4,s2
	lw	a4,0(a4)
	jr	a4
	.section	.rodata
	.align	2
	.align	2
.L4:
	.word	.L12
	.word	.L11
	.word	.L10
	.word	.L9
	.word	.L8
	.word	.L7
	.word	.L6
	.word	.L5
	.word	.L3
	.section	.text.startup
.L12:
	add	s0,a5,s1
.L2:
	mv	a0,s0
	addi	s1,s1,1
	call	put_int
	bne	s1,s3,.L13
	ld	ra,56(sp)
	andi	a0,s0,127
	ld	s0,48(sp)
	ld	s1,40(sp)
	ld	s2,32(sp)
	ld	s3,24(sp)
	ld	s4,16(sp)
	ld	s5,8(sp)
	addi	sp,sp,64
	jr	ra
.L11:
	sub	s0,a5,s1
	j	.L2
.L10:
	mul	s0,a5,s1
	j	.L2
.L9:
	div	s0,a5,s1
	j	.L2
.L8:
	and	s0,a5,s1
	j	.L2
.L7:
	or	s0,a5,s1
	j	.L2
.L6:
	xor	s0,a5,s1
	j	.L2
.L5:
	sll	s0,a5,a3
	j	.L2
.L3:
	sra	s0,a5,a3
	j	.L2
	.size	main, .-main
