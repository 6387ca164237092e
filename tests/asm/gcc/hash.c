/* FNV-1a over byte arrays and a small open-addressing table. */
#include "lib.h"

static const unsigned char keys[][8] = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"};
static unsigned long table[16];

static unsigned long fnv(const unsigned char *p) {
  unsigned long h = 0xcbf29ce484222325UL;
  while (*p) { h ^= *p++; h *= 0x100000001b3UL; }
  return h;
}

int main(void) {
  int collisions = 0;
  for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    unsigned long h = fnv(keys[i]);
    unsigned slot = h & 15;
    while (table[slot]) { slot = (slot + 1) & 15; collisions++; }
    table[slot] = h;
    put_int((long)(h >> 40));
  }
  put_int(collisions);
  return 0;
}
