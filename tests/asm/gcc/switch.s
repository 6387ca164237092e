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
	sd	s3,24(sp)
	lui	s3,%hi(.L4)
	sd	s0,48(sp)
	sd	s1,40(sp)
	sd	s2,32(sp)
	sd	s4,16(sp)
	sd	s5,8(sp)
	sd	s6,0(sp)
	sd	ra,56(sp)
	li	s2,2
	li	s1,0
	li	s0,1
	li	s6,10
	li	s5,8
	addi	s3,s3,%lo(.L4)
	li	s4,14
.L13:
	remw	a5,s1,s6
	add	s0,s1,s0
	sext.w	a4,a5
	bgtu	a4,s5,.L14
	slli	a4,a5,32
	srli	a5,a4,30
	add	a5,a5,s3
	lw	a5,0(a5)
	jr	a5
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
.L5:
	sll	s0,s0,s2
.L2:
	mv	a0,s0
	addi	s2,s2,1
	call	put_int
	addi	s1,s1,1
	bne	s2,s4,.L13
	ld	ra,56(sp)
	andi	a0,s0,127
	ld	s0,48(sp)
	ld	s1,40(sp)
	ld	s2,32(sp)
	ld	s3,24(sp)
	ld	s4,16(sp)
	ld	s5,8(sp)
	ld	s6,0(sp)
	addi	sp,sp,64
	jr	ra
.L6:
	xor	s0,s0,s2
	j	.L2
.L10:
	mul	s0,s0,s2
	j	.L2
.L11:
	sub	s0,s0,s2
	j	.L2
.L12:
	add	s0,s0,s2
	j	.L2
.L3:
	sra	s0,s0,s2
	j	.L2
.L8:
	and	s0,s0,s2
	j	.L2
.L7:
	or	s0,s0,s2
	j	.L2
.L9:
	div	s0,s0,s2
	j	.L2
.L14:
	li	s0,-1
	j	.L2
	.size	main, .-main
