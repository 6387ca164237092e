# A RARS program: print_string, print_int, print_char, read_int, sbrk, print_hex, exit2
.data
prompt: .asciiz "Enter a number: "
answer: .asciiz "Twice that is "
nl:     .asciiz "\n"
.eqv    PRINT_STRING, 4
.text
main:
    li a7, PRINT_STRING
    la a0, prompt
    ecall
    li a7, 5            # read_int
    ecall
    mv s0, a0
    la a0, answer
    li a7, 4
    ecall
    add a0, s0, s0
    li a7, 1
    ecall
    li a0, '\n'
    li a7, 11
    ecall
    li a0, 64
    li a7, 9            # sbrk
    ecall
    sw s0, 0(a0)
    lw a0, 0(a0)
    li a7, 34           # print hex
    ecall
    la a0, nl
    li a7, 4
    ecall
    li a0, -5
    li a7, 1
    ecall
    la a0, nl
    li a7, 4
    ecall
    li a0, 3
    li a7, 93
    ecall
