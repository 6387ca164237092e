# Data directives and symbol differences: ADD/SUB pairs for code labels,
# folded differences for data labels, .fill/.skip, symbol bindings and types.
Count = 3
Limit=Count*4 + 1
        .text
        .globl  _start
        .type   _start, %function
_start: li      a0, 0
        li      a7, 93
        ecall
mid:    nop
        .size   _start, . - _start
end_of_code:
        .weak   maybe
        .local  hidden
hidden: ret

        .data
        .type   table, @object
table:  .byte   end_of_code - _start, mid - _start
        .half   end_of_code - mid
        .2byte  0x1234
        .4byte  end_of_code - _start
        .8byte  end_of_code - _start, table
        .quad   after - table
        .fill   3, 2, 0x0102
        .skip   5, 0xaa
        .zero   2
after:  .word   after - table, (after - table) * 2 + 1, Limit, Count
        .dword  maybe
        .size   table, . - table
        .section .rodata
        .balign 4
ro:     .word   -1, 0x7fffffff, -0x80000000
        .byte   '\n', '\\', '\'', 0x41, 'z' - 'a'
        .ascii  "tab\there\0nul\x41\101\n"
