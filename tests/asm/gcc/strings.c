#include "lib.h"
static const char *names[] = {"zero", "one", "two", "three", "four"};
int main(void) {
  for (int i = 0; i < 5; i++) { put_str(names[i]); put_str("\n"); }
  put_str("the end\n");
  return 0;
}
