// CLI fixture: prints one line, then never exits. A test sees the line while
// edgevm still runs, so the console streams instead of arriving at the end.
#include "rt.h"

int main(void) {
  rt_puts("spinning\n");
  for (;;) {
  }
}
