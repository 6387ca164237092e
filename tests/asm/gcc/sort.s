	.file	"sort.c"
	.option nopic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.type	find.constprop.0, @function
find.constprop.0:
	lui	a6,%hi(.LANCHOR0)
	mv	a1,a0
	li	a3,0
	li	a2,15
	addi	a6,a6,%lo(.LANCHOR0)
.L5:
	subw	a5,a2,a3
	sraiw	a5,a5,1
	addw	a0,a5,a3
	slli	a4,a0,2
	add	a4,a6,a4
	lw	a4,0(a4)
	beq	a4,a1,.L2
	bge	a4,a1,.L3
	addiw	a3,a0,1
	ble	a3,a2,.L5
.L8:
	li	a0,-1
.L2:
	ret
.L3:
	addiw	a2,a0,-1
	ble	a3,a2,.L5
	j	.L8
	.size	find.constprop.0, .-find.constprop.0
	.align	1
	.type	quicksort.constprop.0, @function
quicksort.constprop.0:
	ble	a1,a0,.L29
	addi	sp,sp,-32
	sd	s1,8(sp)
	lui	s1,%hi(.LANCHOR0)
	sd	s2,0(sp)
	sd	ra,24(sp)
	sd	s0,16(sp)
	mv	s2,a1
	addi	s1,s1,%lo(.LANCHOR0)
.L10:
	addw	a4,s2,a0
	srliw	a5,a4,31
	addw	a5,a5,a4
	sraiw	a5,a5,1
	slli	a5,a5,2
	add	a5,s1,a5
	lw	a3,0(a5)
	mv	a1,s2
	mv	s0,a0
.L15:
	bgt	s0,a1,.L16
.L33:
	slli	a5,s0,2
	add	a7,s1,a5
	lw	a4,0(a7)
	slli	a6,a1,2
	add	a6,s1,a6
	addi	a5,a5,4
	lw	a2,0(a6)
	add	a5,s1,a5
	ble	a3,a4,.L32
.L12:
	lw	a4,0(a5)
	mv	a7,a5
	addiw	s0,s0,1
	addi	a5,a5,4
	bgt	a3,a4,.L12
	bge	a3,a2,.L13
.L20:
	addi	a5,a1,-1
	slli	a5,a5,2
	add	a5,s1,a5
.L14:
	lw	a2,0(a5)
	mv	a6,a5
	addiw	a1,a1,-1
	addi	a5,a5,-4
	blt	a3,a2,.L14
.L13:
	blt	a1,s0,.L15
	sw	a2,0(a7)
	addiw	s0,s0,1
	addiw	a1,a1,-1
	sw	a4,0(a6)
.L34:
	ble	s0,a1,.L33
.L16:
	call	quicksort.constprop.0
	ble	s2,s0,.L9
	mv	a0,s0
	j	.L10
.L32:
	blt	a3,a2,.L20
	sw	a2,0(a7)
	addiw	s0,s0,1
	addiw	a1,a1,-1
	sw	a4,0(a6)
	j	.L34
.L9:
	ld	ra,24(sp)
	ld	s0,16(sp)
	ld	s1,8(sp)
	ld	s2,0(sp)
	addi	sp,sp,32
	jr	ra
.L29:
	ret
	.size	quicksort.constprop.0, .-quicksort.constprop.0
	.section	.text.startup,"ax",@progbits
	.align	1
	.globl	main
	.type	main, @function
main:
	lui	a5,%hi(small)
	lw	a1,%lo(small)(a5)
	lui	a5,%hi(.LANCHOR1)
	addi	sp,sp,-32
	lui	a3,%hi(.LANCHOR0)
	addi	a5,a5,%lo(.LANCHOR1)
	sd	s0,16(sp)
	sd	ra,24(sp)
	addi	s0,a3,%lo(.LANCHOR0)
	sd	s1,8(sp)
	addi	a2,a5,64
	addi	a3,a3,%lo(.LANCHOR0)
.L36:
	lw	a4,0(a5)
	addi	a3,a3,4
	addi	a5,a5,4
	mulw	a4,a4,a1
	sw	a4,-4(a3)
	bne	a5,a2,.L36
	li	a1,15
	li	a0,0
	call	quicksort.constprop.0
	addi	s1,s0,64
.L37:
	lw	a0,0(s0)
	addi	s0,s0,4
	call	put_int
	bne	s0,s1,.L37
	lui	a5,%hi(nsorted)
	li	a4,16
	li	a0,168
	sd	a4,%lo(nsorted)(a5)
	call	find.constprop.0
	call	put_int
	li	a0,1
	call	find.constprop.0
	call	put_int
	ld	ra,24(sp)
	ld	s0,16(sp)
	ld	s1,8(sp)
	li	a0,0
	addi	sp,sp,32
	jr	ra
	.size	main, .-main
	.globl	small
	.globl	nsorted
	.globl	data
	.data
	.align	3
	.set	.LANCHOR1,. + 0
	.type	data, @object
	.size	data, 64
data:
	.word	93
	.word	4
	.word	71
	.word	-8
	.word	0
	.word	56
	.word	12
	.word	12
	.word	999
	.word	-300
	.word	7
	.word	64
	.word	5
	.word	18
	.word	44
	.word	3
	.bss
	.align	3
	.set	.LANCHOR0,. + 0
	.type	scratch, @object
	.size	scratch, 256
scratch:
	.zero	256
	.section	.sbss,"aw",@nobits
	.align	3
	.type	nsorted, @object
	.size	nsorted, 8
nsorted:
	.zero	8
	.section	.sdata,"aw"
	.align	2
	.type	small, @object
	.size	small, 4
small:
	.word	3
