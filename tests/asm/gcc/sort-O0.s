	.file	"sort.c"
	.option nopic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.globl	data
	.data
	.align	3
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
	.globl	nsorted
	.section	.sbss,"aw",@nobits
	.align	3
	.type	nsorted, @object
	.size	nsorted, 8
nsorted:
	.zero	8
	.local	scratch
	.comm	scratch,256,8
	.globl	small
	.section	.sdata,"aw"
	.align	2
	.type	small, @object
	.size	small, 4
small:
	.word	3
	.text
	.align	1
	.type	swap, @function
swap:
	addi	sp,sp,-48
	sd	s0,40(sp)
	addi	s0,sp,48
	sd	a0,-40(s0)
	sd	a1,-48(s0)
	ld	a5,-40(s0)
	lw	a5,0(a5)
	sw	a5,-20(s0)
	ld	a5,-48(s0)
	lw	a4,0(a5)
	ld	a5,-40(s0)
	sw	a4,0(a5)
	ld	a5,-48(s0)
	lw	a4,-20(s0)
	sw	a4,0(a5)
	nop
	ld	s0,40(sp)
	addi	sp,sp,48
	jr	ra
	.size	swap, .-swap
	.align	1
	.type	quicksort, @function
quicksort:
	addi	sp,sp,-48
	sd	ra,40(sp)
	sd	s0,32(sp)
	addi	s0,sp,48
	sd	a0,-40(s0)
	mv	a5,a1
	mv	a4,a2
	sw	a5,-44(s0)
	mv	a5,a4
	sw	a5,-48(s0)
	lw	a5,-44(s0)
	mv	a4,a5
	lw	a5,-48(s0)
	sext.w	a4,a4
	sext.w	a5,a5
	bge	a4,a5,.L11
	lw	a5,-44(s0)
	mv	a4,a5
	lw	a5,-48(s0)
	addw	a5,a4,a5
	sext.w	a5,a5
	srliw	a4,a5,31
	addw	a5,a4,a5
	sraiw	a5,a5,1
	sext.w	a5,a5
	slli	a5,a5,2
	ld	a4,-40(s0)
	add	a5,a4,a5
	lw	a5,0(a5)
	sw	a5,-28(s0)
	lw	a5,-44(s0)
	sw	a5,-20(s0)
	lw	a5,-48(s0)
	sw	a5,-24(s0)
	j	.L5
.L7:
	lw	a5,-20(s0)
	addiw	a5,a5,1
	sw	a5,-20(s0)
.L6:
	lw	a5,-20(s0)
	slli	a5,a5,2
	ld	a4,-40(s0)
	add	a5,a4,a5
	lw	a4,0(a5)
	lw	a5,-28(s0)
	sext.w	a5,a5
	bgt	a5,a4,.L7
	j	.L8
.L9:
	lw	a5,-24(s0)
	addiw	a5,a5,-1
	sw	a5,-24(s0)
.L8:
	lw	a5,-24(s0)
	slli	a5,a5,2
	ld	a4,-40(s0)
	add	a5,a4,a5
	lw	a4,0(a5)
	lw	a5,-28(s0)
	sext.w	a5,a5
	blt	a5,a4,.L9
	lw	a5,-20(s0)
	mv	a4,a5
	lw	a5,-24(s0)
	sext.w	a4,a4
	sext.w	a5,a5
	bgt	a4,a5,.L5
	lw	a5,-20(s0)
	addiw	a4,a5,1
	sw	a4,-20(s0)
	slli	a5,a5,2
	ld	a4,-40(s0)
	add	a3,a4,a5
	lw	a5,-24(s0)
	addiw	a4,a5,-1
	sw	a4,-24(s0)
	slli	a5,a5,2
	ld	a4,-40(s0)
	add	a5,a4,a5
	mv	a1,a5
	mv	a0,a3
	call	swap
.L5:
	lw	a5,-20(s0)
	mv	a4,a5
	lw	a5,-24(s0)
	sext.w	a4,a4
	sext.w	a5,a5
	ble	a4,a5,.L6
	lw	a4,-24(s0)
	lw	a5,-44(s0)
	mv	a2,a4
	mv	a1,a5
	ld	a0,-40(s0)
	call	quicksort
	lw	a4,-48(s0)
	lw	a5,-20(s0)
	mv	a2,a4
	mv	a1,a5
	ld	a0,-40(s0)
	call	quicksort
	j	.L2
.L11:
	nop
.L2:
	ld	ra,40(sp)
	ld	s0,32(sp)
	addi	sp,sp,48
	jr	ra
	.size	quicksort, .-quicksort
	.align	1
	.type	find, @function
find:
	addi	sp,sp,-48
	sd	s0,40(sp)
	addi	s0,sp,48
	sd	a0,-40(s0)
	mv	a5,a1
	mv	a4,a2
	sw	a5,-44(s0)
	mv	a5,a4
	sw	a5,-48(s0)
	sw	zero,-20(s0)
	lw	a5,-44(s0)
	addiw	a5,a5,-1
	sw	a5,-24(s0)
	j	.L13
.L17:
	lw	a5,-24(s0)
	mv	a4,a5
	lw	a5,-20(s0)
	subw	a5,a4,a5
	sext.w	a5,a5
	srliw	a4,a5,31
	addw	a5,a4,a5
	sraiw	a5,a5,1
	sext.w	a5,a5
	lw	a4,-20(s0)
	addw	a5,a4,a5
	sw	a5,-28(s0)
	lw	a5,-28(s0)
	slli	a5,a5,2
	ld	a4,-40(s0)
	add	a5,a4,a5
	lw	a4,0(a5)
	lw	a5,-48(s0)
	sext.w	a5,a5
	bne	a5,a4,.L14
	lw	a5,-28(s0)
	j	.L15
.L14:
	lw	a5,-28(s0)
	slli	a5,a5,2
	ld	a4,-40(s0)
	add	a5,a4,a5
	lw	a4,0(a5)
	lw	a5,-48(s0)
	sext.w	a5,a5
	ble	a5,a4,.L16
	lw	a5,-28(s0)
	addiw	a5,a5,1
	sw	a5,-20(s0)
	j	.L13
.L16:
	lw	a5,-28(s0)
	addiw	a5,a5,-1
	sw	a5,-24(s0)
.L13:
	lw	a5,-20(s0)
	mv	a4,a5
	lw	a5,-24(s0)
	sext.w	a4,a4
	sext.w	a5,a5
	ble	a4,a5,.L17
	li	a5,-1
.L15:
	mv	a0,a5
	ld	s0,40(sp)
	addi	sp,sp,48
	jr	ra
	.size	find, .-find
	.align	1
	.globl	main
	.type	main, @function
main:
	addi	sp,sp,-32
	sd	ra,24(sp)
	sd	s0,16(sp)
	addi	s0,sp,32
	li	a5,16
	sw	a5,-28(s0)
	sw	zero,-20(s0)
	j	.L19
.L20:
	lui	a5,%hi(data)
	addi	a4,a5,%lo(data)
	lw	a5,-20(s0)
	slli	a5,a5,2
	add	a5,a4,a5
	lw	a4,0(a5)
	lui	a5,%hi(small)
	lw	a5,%lo(small)(a5)
	mulw	a5,a4,a5
	sext.w	a4,a5
	lui	a5,%hi(scratch)
	addi	a3,a5,%lo(scratch)
	lw	a5,-20(s0)
	slli	a5,a5,2
	add	a5,a3,a5
	sw	a4,0(a5)
	lw	a5,-20(s0)
	addiw	a5,a5,1
	sw	a5,-20(s0)
.L19:
	lw	a5,-20(s0)
	mv	a4,a5
	lw	a5,-28(s0)
	sext.w	a4,a4
	sext.w	a5,a5
	blt	a4,a5,.L20
	lw	a5,-28(s0)
	addiw	a5,a5,-1
	sext.w	a5,a5
	mv	a2,a5
	li	a1,0
	lui	a5,%hi(scratch)
	addi	a0,a5,%lo(scratch)
	call	quicksort
	sw	zero,-24(s0)
	j	.L21
.L22:
	lui	a5,%hi(scratch)
	addi	a4,a5,%lo(scratch)
	lw	a5,-24(s0)
	slli	a5,a5,2
	add	a5,a4,a5
	lw	a5,0(a5)
	mv	a0,a5
	call	put_int
	lw	a5,-24(s0)
	addiw	a5,a5,1
	sw	a5,-24(s0)
.L21:
	lw	a5,-24(s0)
	mv	a4,a5
	lw	a5,-28(s0)
	sext.w	a4,a4
	sext.w	a5,a5
	blt	a4,a5,.L22
	lw	a4,-28(s0)
	lui	a5,%hi(nsorted)
	sd	a4,%lo(nsorted)(a5)
	lw	a5,-28(s0)
	li	a2,168
	mv	a1,a5
	lui	a5,%hi(scratch)
	addi	a0,a5,%lo(scratch)
	call	find
	mv	a5,a0
	mv	a0,a5
	call	put_int
	lw	a5,-28(s0)
	li	a2,1
	mv	a1,a5
	lui	a5,%hi(scratch)
	addi	a0,a5,%lo(scratch)
	call	find
	mv	a5,a0
	mv	a0,a5
	call	put_int
	li	a5,0
	mv	a0,a5
	ld	ra,24(sp)
	ld	s0,16(sp)
	addi	sp,sp,32
	jr	ra
	.size	main, .-main
