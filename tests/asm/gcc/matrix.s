	.file	"matrix.c"
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
	lui	a5,%hi(.LC1)
	fld	fa1,%lo(.LC1)(a5)
	lui	a5,%hi(.LC0)
	lui	t1,%hi(.LANCHOR0)
	fld	fa2,%lo(.LC0)(a5)
	lui	a5,%hi(.LC2)
	addi	a0,t1,%lo(.LANCHOR0)
	fld	fa0,%lo(.LC2)(a5)
	addi	sp,sp,-16
	addi	t5,a0,288
	addi	t4,t1,%lo(.LANCHOR0)
	sd	ra,8(sp)
	mv	t3,t5
	addi	t1,t1,%lo(.LANCHOR0)
	li	a2,0
	li	a7,6
.L2:
	fcvt.d.w	fa3,a2
	sext.w	a6,a2
	mv	a3,t3
	mv	a4,t1
	li	a5,0
	addiw	a2,a2,1
.L4:
	fcvt.d.w	fa5,a5
	fmv.d	fa4,fa2
	addw	a1,a2,a5
	fmadd.d	fa5,fa5,fa1,fa3
	fsd	fa5,0(a4)
	beq	a6,a5,.L3
	fcvt.d.w	fa4,a1
	fdiv.d	fa4,fa0,fa4
.L3:
	addiw	a5,a5,1
	fsd	fa4,0(a3)
	addi	a3,a3,8
	addi	a4,a4,8
	bne	a5,a7,.L4
	addi	t1,t1,48
	addi	t3,t3,48
	bne	a2,a5,.L2
	lui	a5,%hi(.LC3)
	fld	fa2,%lo(.LC3)(a5)
	addi	a7,t4,576
	lui	a4,%hi(.LANCHOR0+624)
	mv	a6,a7
	addi	a1,a4,%lo(.LANCHOR0+624)
.L8:
	mv	a3,a7
	mv	a2,a6
.L10:
	fmv.d.x	fa5,zero
	addi	a5,a3,-288
	mv	a4,a0
.L6:
	fld	fa3,0(a4)
	fld	fa4,0(a5)
	addi	a5,a5,48
	addi	a4,a4,8
	fmadd.d	fa5,fa3,fa4,fa5
	bne	a5,a3,.L6
	fmul.d	fa5,fa5,fa2
	addi	a3,a5,8
	addi	a2,a2,8
	fsd	fa5,-8(a2)
	bne	a1,a3,.L10
	addi	a0,a0,48
	addi	a6,a6,48
	bne	a0,t5,.L8
	lui	a5,%hi(.LC4)
	fld	fa4,%lo(.LC4)(a5)
	mv	a4,a1
	addi	a7,a7,336
	li	a0,0
.L9:
	addi	a5,a4,-48
.L11:
	fld	fa5,0(a5)
	addi	a5,a5,8
	fmul.d	fa5,fa5,fa4
	fcvt.l.d a3,fa5,rtz
	add	a0,a0,a3
	bne	a4,a5,.L11
	addi	a4,a4,48
	bne	a7,a4,.L9
	call	put_int
	ld	ra,8(sp)
	li	a0,0
	addi	sp,sp,16
	jr	ra
	.size	main, .-main
	.globl	scale
	.globl	c
	.globl	b
	.globl	a
	.section	.srodata.cst8,"aM",@progbits,8
	.align	3
.LC0:
	.word	0
	.word	1073741824
	.align	3
.LC1:
	.word	0
	.word	1071644672
	.align	3
.LC2:
	.word	0
	.word	1072693248
	.align	3
.LC3:
	.word	0
	.word	1070596096
	.align	3
.LC4:
	.word	0
	.word	1083129856
	.bss
	.align	3
	.set	.LANCHOR0,. + 0
	.type	a, @object
	.size	a, 288
a:
	.zero	288
	.type	b, @object
	.size	b, 288
b:
	.zero	288
	.type	c, @object
	.size	c, 288
c:
	.zero	288
	.section	.srodata,"a"
	.align	3
	.type	scale, @object
	.size	scale, 8
scale:
	.word	0
	.word	1070596096
