#include "board.h"
#include "rt.h"

void check(int ok, const char *what, uint32_t code) {
  if (ok) return;
  rt_puts("FAIL ");
  rt_puts(what);
  rt_puts("\n");
  poweroff(code);
}
