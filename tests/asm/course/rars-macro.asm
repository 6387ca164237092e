# RARS dialect: .macro name(%args) ... .end_macro, .asciiz, .space, .eqv,
# floating-point printing as Java prints it, read_string with fgets rules.
.eqv    PRINT_STRING, 4
.macro print_str(%label)
    la a0, %label
    li a7, PRINT_STRING
    ecall
.end_macro
.macro newline
    li a0, 10
    li a7, 11
    ecall
.end_macro
.macro exit(%code)
    li a0, %code
    li a7, 93
    ecall
.end_macro
.data
title:  .asciiz "macro one\n"
f:      .float 2.5
d:      .double 0.1
big:    .double 12345678.0
buf:    .space 16
.text
main:
    print_str(title)
    la t0, f
    flw fa0, 0(t0)
    li a7, 2
    ecall
    newline
    la t0, d
    fld fa0, 0(t0)
    li a7, 3
    ecall
    newline
    la t0, big
    fld fa0, 0(t0)
    li a7, 3
    ecall
    newline
    la a0, buf          # read_string: at most 7 bytes into 8
    li a1, 8
    li a7, 8
    ecall
    print_str(buf)
    newline
    li a7, 7            # read_double
    ecall
    li a7, 3
    ecall
    newline
    li a7, 12           # read_char
    ecall
    li a7, 11
    ecall
    li a0, -1
    li a7, 36           # print unsigned
    ecall
    newline
    li a0, 5
    li a7, 35           # print binary
    ecall
    newline
    exit(4)
