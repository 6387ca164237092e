	.file	"lib.c"
	.option nopic
	.attribute arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0"
	.attribute unaligned_access, 0
	.attribute stack_align, 16
	.text
	.align	1
	.globl	put_bytes
	.type	put_bytes, @function
put_bytes:
	mv	a5,a0
	mv	a2,a1
	li	a0,1
	mv	a1,a5
	li	a7,64
 #APP
# 9 "lib.c" 1
	ecall
# 0 "" 2
 #NO_APP
	ret
	.size	put_bytes, .-put_bytes
	.align	1
	.globl	put_str
	.type	put_str, @function
put_str:
	lbu	a5,0(a0)
	mv	a1,a0
	li	a2,0
	beq	a5,zero,.L4
.L5:
	addi	a2,a2,1
	add	a5,a1,a2
	lbu	a5,0(a5)
	bne	a5,zero,.L5
.L4:
	li	a0,1
	li	a7,64
 #APP
# 9 "lib.c" 1
	ecall
# 0 "" 2
 #NO_APP
	ret
	.size	put_str, .-put_str
	.align	1
	.globl	put_int
	.type	put_int, @function
put_int:
	srai	a4,a0,63
	xor	a5,a4,a0
	addi	sp,sp,-32
	sub	a5,a5,a4
	li	a4,10
	sb	a4,31(sp)
	addi	a2,sp,30
	li	a3,23
	li	a1,10
	li	a7,9
.L10:
	remu	a4,a5,a1
	addi	a2,a2,-1
	mv	a6,a5
	mv	t1,a3
	addiw	a3,a3,-1
	addiw	a4,a4,48
	sb	a4,1(a2)
	divu	a5,a5,a1
	bgtu	a6,a7,.L10
	bge	a0,zero,.L11
	addiw	a3,t1,-2
	addi	a5,a3,32
	add	a5,a5,sp
	li	a4,45
	sb	a4,-24(a5)
.L11:
	addi	a5,sp,8
	li	a2,24
	li	a0,1
	add	a1,a5,a3
	subw	a2,a2,a3
	li	a7,64
 #APP
# 9 "lib.c" 1
	ecall
# 0 "" 2
 #NO_APP
	addi	sp,sp,32
	jr	ra
	.size	put_int, .-put_int
