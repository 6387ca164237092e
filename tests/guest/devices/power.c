// The syscon finisher: a poweroff with a failure code; or, when the host
// gives a 'r' on the UART, a reboot request.
#include "board.h"
#include "rt.h"

int main(void) {
  rt_puts("power\n");
  if ((UART[5] & 1) && UART[0] == 'r') {
    *FINISHER = 0x7777;
    for (;;) {
    }
  }
  poweroff(42);
}
