// CLI fixture: prints one line on the UART and exits with code 3, so tests can
// check both the console path and that `edgevm run` passes the guest's exit code on.
#include "rt.h"

int main(void) {
  rt_puts("hello from edgevm\n");
  return 3;
}
