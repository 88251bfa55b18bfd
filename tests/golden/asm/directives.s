# Data directives, alignment, symbols and expressions.
    .equ    SIZE, 16
    .set    COUNT, 3
    .set    COUNT, COUNT + 1        /* redefinition uses the old value */
    LIMIT = SIZE * COUNT
    .text
    nop
    .byte   1
    .align  3                       # code padding: zero, c.nop, nops
    li      a0, LIMIT
    .byte   2, 3, 4
    .balign 8
    .half   5
    .align  2                       # ignored in code (already 4-byte aligned)
    .p2align 4,,3                   # skip more than 3 bytes: no padding
    .byte   6
    .p2align 4
    addi    a0, a0, SIZE - 1
    .balign 8, 0xff                 # explicit fill
    .byte   7
    .section .rodata
msg:    .string "hi\n\x41\101\t\"q\""
        .ascii  "ab", "c"
        .asciz  "z"
        .byte   'a', '\n', '\\', '\'', 0x7f, -1, 255, 0b11, 017
        .half   0xbeef, -2
        .short  1
        .word   msg, end, end - msg, LIMIT, 'x' << 8 | 'y'
        .long   -2147483648, 4294967295
        .2byte  0x1234
        .4byte  0x12345678
end:
    .data
    .byte   1
    .align  2
    .word   (1 + 2) * 3 - 4 / 2 % 3, ~0, -(5), !0, !7, 1 << 31 >> 31
    .word   7 & 3 | 8 ^ 1, 2 == 2, 2 != 2, 3 < 4, 3 > 4, 3 <= 3, 3 >= 4, 1 && 0, 1 || 0
    .word   .
    .space  3, 0xaa
    .zero   2
    .skip   1
    .balign 4, 0x5a
table:
    .word   1f, 2f, 1f
1:  .word   1b
2:  .half   2b - 1b
1:  .byte   1b - table
    .p2align 3
    .dword  0x1122334455667788
    .quad   -1
    .section .data.extra, "aw"
    .word   table
    .bss
buf:    .space  100
    .align  4
buf2:   .zero   8
    .section .sbss
    .word   0
