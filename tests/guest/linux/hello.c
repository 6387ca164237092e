// The smallest useful program: startup, one printf, exit. The startup-time
// benchmark runs this.
#include <stdio.h>

int main(void) {
  printf("Hello, world!\n");
  return 0;
}
