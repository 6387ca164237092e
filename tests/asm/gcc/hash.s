	.file	"hash.c"
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
	lui	s2,%hi(.LC0)
	sd	s1,40(sp)
	sd	s5,8(sp)
	sd	s6,0(sp)
	li	s5,1
	lui	s6,%hi(.LANCHOR0)
	ld	s1,%lo(.LC0)(s2)
	sd	s4,16(sp)
	addi	s6,s6,%lo(.LANCHOR0)
	lui	s4,%hi(.LANCHOR1)
	slli	s5,s5,40
	sd	s0,48(sp)
	sd	s3,24(sp)
	sd	ra,56(sp)
	addi	s0,s6,64
	li	s3,0
	addi	s4,s4,%lo(.LANCHOR1)
	addi	s5,s5,435
.L6:
	lbu	a5,0(s6)
	mv	a3,s6
	beq	a5,zero,.L7
	mv	a4,s1
.L3:
	addi	a3,a3,1
	xor	a4,a5,a4
	lbu	a5,0(a3)
	mul	a4,a4,s5
	bne	a5,zero,.L3
	srli	a0,a4,40
	andi	a5,a4,15
.L2:
	slli	a3,a5,3
	add	a3,s4,a3
	ld	a3,0(a3)
	slli	a2,a5,32
	srli	a2,a2,32
	beq	a3,zero,.L4
.L5:
	addiw	a5,a5,1
	andi	a2,a5,15
	slli	a3,a2,3
	add	a3,s4,a3
	ld	a3,0(a3)
	mv	a5,a2
	addiw	s3,s3,1
	bne	a3,zero,.L5
.L4:
	slli	a2,a2,3
	add	a2,s4,a2
	addi	s6,s6,8
	sd	a4,0(a2)
	call	put_int
	bne	s0,s6,.L6
	mv	a0,s3
	call	put_int
	ld	ra,56(sp)
	ld	s0,48(sp)
	ld	s1,40(sp)
	ld	s2,32(sp)
	ld	s3,24(sp)
	ld	s4,16(sp)
	ld	s5,8(sp)
	ld	s6,0(sp)
	li	a0,0
	addi	sp,sp,64
	jr	ra
.L7:
	li	a0,13365248
	ld	a4,%lo(.LC0)(s2)
	li	a5,5
	addi	a0,a0,668
	j	.L2
	.size	main, .-main
	.section	.srodata.cst8,"aM",@progbits,8
	.align	3
.LC0:
	.dword	-3750763034362895579
	.section	.rodata
	.align	3
	.set	.LANCHOR0,. + 0
	.type	keys, @object
	.size	keys, 64
keys:
	.string	"alpha"
	.zero	2
	.string	"beta"
	.zero	3
	.string	"gamma"
	.zero	2
	.string	"delta"
	.zero	2
	.string	"eps"
	.zero	4
	.string	"zeta"
	.zero	3
	.string	"eta"
	.zero	4
	.string	"theta"
	.zero	2
	.bss
	.align	3
	.set	.LANCHOR1,. + 0
	.type	table, @object
	.size	table, 128
table:
	.zero	128
