// C half of the shared test machinery: reporting and the final verdict.
#include "macros.h"

const char *isa_name;
uint64_t isa_failures;

static void put_line_prefix(int line) {
  rt_puts("FAIL ");
  rt_puts(isa_name ? isa_name : "?");
  rt_putc(':');
  rt_put_u64((uint64_t)line);
}

static void put_got_expected(uint64_t got, uint64_t expected) {
  rt_puts(": got ");
  rt_put_hex(got);
  rt_puts(", expected ");
  rt_put_hex(expected);
  rt_putc('\n');
}

// Called by __isa_fail (the CHECK macros) with the check's record.
struct isa_check_record {
  uint64_t line;
  const char *what;
};

void isa_report(const struct isa_check_record *rec, uint64_t got, uint64_t expected) {
  isa_failures++;
  put_line_prefix((int)rec->line);
  rt_puts(" (");
  rt_puts(rec->what);
  rt_putc(')');
  put_got_expected(got, expected);
}

// The C programs' CHECK_EQ.
void isa_check_c(int line, const char *what, uint64_t got, uint64_t expected) {
  if (got == expected) return;
  isa_failures++;
  put_line_prefix(line);
  rt_puts(" (");
  rt_puts(what);
  rt_putc(')');
  put_got_expected(got, expected);
}

__attribute__((noreturn)) void isa_finish_c(void) {
  if (isa_failures == 0) {
    rt_puts("ok ");
    rt_puts(isa_name);
    rt_putc('\n');
    rt_exit(0);
  }
  rt_puts("FAILED ");
  rt_puts(isa_name);
  rt_puts(": ");
  rt_put_u64(isa_failures);
  rt_puts(" failed check(s)\n");
  rt_exit(1);
}

__attribute__((noreturn)) void isa_unexpected_trap(uint64_t cause, uint64_t epc, uint64_t tval) {
  rt_puts("FAIL ");
  rt_puts(isa_name ? isa_name : "?");
  rt_puts(": unexpected trap mcause=");
  rt_put_hex(cause);
  rt_puts(" mepc=");
  rt_put_hex(epc);
  rt_puts(" mtval=");
  rt_put_hex(tval);
  rt_putc('\n');
  rt_exit(3);
}
