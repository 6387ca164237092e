	.file	"strings.c"
	.option nopic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.section	.rodata.str1.8,"aMS",@progbits,1
	.align	3
.LC0:
	.string	"\n"
	.align	3
.LC1:
	.string	"the end\n"
	.section	.text.startup,"ax",@progbits
	.align	1
	.globl	main
	.type	main, @function
main:
	addi	sp,sp,-32
	sd	s0,16(sp)
	lui	s0,%hi(.LANCHOR0)
	addi	s0,s0,%lo(.LANCHOR0)
	sd	s1,8(sp)
	sd	s2,0(sp)
	sd	ra,24(sp)
	addi	s2,s0,40
	lui	s1,%hi(.LC0)
.L2:
	ld	a0,0(s0)
	addi	s0,s0,8
	call	put_str
	addi	a0,s1,%lo(.LC0)
	call	put_str
	bne	s0,s2,.L2
	lui	a0,%hi(.LC1)
	addi	a0,a0,%lo(.LC1)
	call	put_str
	ld	ra,24(sp)
	ld	s0,16(sp)
	ld	s1,8(sp)
	ld	s2,0(sp)
	li	a0,0
	addi	sp,sp,32
	jr	ra
	.size	main, .-main
	.section	.rodata.str1.8
	.align	3
.LC2:
	.string	"zero"
	.align	3
.LC3:
	.string	"one"
	.align	3
.LC4:
	.string	"two"
	.align	3
.LC5:
	.string	"three"
	.align	3
.LC6:
	.string	"four"
	.section	.rodata
	.align	3
	.set	.LANCHOR0,. + 0
	.type	names, @object
	.size	names, 40
names:
	.dword	.LC2
	.dword	.LC3
	.dword	.LC4
	.dword	.LC5
	.dword	.LC6
