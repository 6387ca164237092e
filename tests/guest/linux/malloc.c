// malloc-heavy code: a pseudo-random mix of malloc, calloc, realloc and free
// (brk and mmap'ed chunks alike), aligned allocations, many small objects,
// and one large allocation touched page by page. Prints checksums.
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

#define SLOTS 4096

static void churn(void) {
  static unsigned char *slot[SLOTS];
  static size_t size[SLOTS];
  uint64_t h = 0xcbf29ce484222325ull;
  size_t live = 0, peak = 0, calls = 0;
  for (int round = 0; round < 200000; round++) {
    size_t i = next() % SLOTS;
    if (slot[i]) {
      h = fnv(slot[i], size[i], h);
      if (next() % 4 == 0) {
        size_t n = (size_t)(next() % 5000) + 1;
        unsigned char *p = realloc(slot[i], n);
        if (!p) abort();
        if (n > size[i]) memset(p + size[i], (int)(n & 0xff), n - size[i]);
        live += n - size[i];
        slot[i] = p;
        size[i] = n;
      } else {
        free(slot[i]);
        live -= size[i];
        slot[i] = NULL;
      }
    } else {
      uint64_t r = next();
      size_t n = r % 100 == 0 ? (size_t)(r % 300000) + 1 : (size_t)(r % 700) + 1;
      unsigned char *p = (r & 1) ? calloc(1, n) : malloc(n);
      if (!p) abort();
      if (r & 1) {
        for (size_t k = 0; k < n; k++)
          if (p[k]) abort();
      }
      memset(p, (int)(r >> 8), n);
      slot[i] = p;
      size[i] = n;
      live += n;
    }
    if (live > peak) peak = live;
    calls++;
  }
  for (size_t i = 0; i < SLOTS; i++) free(slot[i]);
  printf("churn: %zu calls, peak %zu live bytes, hash %016llx\n", calls, peak, (unsigned long long)h);
}

struct node {
  struct node *next;
  int value;
};

static void small_objects(void) {
  struct node *head = NULL;
  for (int i = 0; i < 100000; i++) {
    struct node *n = malloc(sizeof *n);
    n->value = i;
    n->next = head;
    head = n;
  }
  long sum = 0;
  int count = 0;
  while (head) {
    struct node *n = head;
    head = n->next;
    sum += n->value;
    count++;
    free(n);
  }
  printf("small objects: %d nodes, sum %ld\n", count, sum);
}

static void aligned(void) {
  for (size_t align = 16; align <= 65536; align *= 4) {
    void *p = aligned_alloc(align, align * 3);
    void *q = NULL;
    int r = posix_memalign(&q, align, 100);
    printf("align %6zu: aligned_alloc %s, posix_memalign %d %s\n", align, ((uintptr_t)p % align) ? "misaligned" : "ok", r,
           ((uintptr_t)q % align) ? "misaligned" : "ok");
    free(p);
    free(q);
  }
  void *big = memalign(4096, 1 << 20);
  printf("memalign 1 MiB: %s\n", ((uintptr_t)big & 4095) ? "misaligned" : "ok");
  free(big);
}

static void large(void) {
  size_t n = 64u << 20;
  unsigned char *p = malloc(n);
  if (!p) {
    printf("large: malloc(64 MiB) failed\n");
    return;
  }
  for (size_t i = 0; i < n; i += 4096) p[i] = (unsigned char)(i >> 12);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i += 4096) sum += p[i];
  printf("large: 64 MiB touched, page sum %llu, last byte %u\n", (unsigned long long)sum, p[n - 1]);
  free(p);
  void *huge = malloc((size_t)1 << 42);
  printf("large: malloc(4 TiB) %s\n", huge ? "succeeded?!" : "returned NULL");
}

static void grow(void) {
  char *s = NULL;
  size_t len = 0;
  for (int i = 0; i < 20000; i++) {
    char piece[32];
    int n = snprintf(piece, sizeof piece, "%d,", i * 7);
    s = realloc(s, len + (size_t)n + 1);
    memcpy(s + len, piece, (size_t)n + 1);
    len += (size_t)n;
  }
  printf("grow: %zu bytes, hash %016llx, tail %s\n", len, (unsigned long long)fnv((unsigned char *)s, len, 0xcbf29ce484222325ull),
         s + len - 12);
  free(s);
}

int main(void) {
  churn();
  small_objects();
  aligned();
  large();
  grow();
  return 0;
}
