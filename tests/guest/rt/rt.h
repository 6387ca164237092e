// Minimal runtime for bare-metal guest programs: console output on the
// NS16550A UART and exit through the HTIF tohost mailbox.
#ifndef EDGEVM_RT_H
#define EDGEVM_RT_H
#include <stdint.h>

void rt_putc(char c);
void rt_puts(const char *s);
void rt_put_u64(uint64_t v);
void rt_put_i64(int64_t v);
void rt_put_hex(uint64_t v);
__attribute__((noreturn)) void rt_exit(int code);
uint64_t rt_rdinstret(void);

#endif
