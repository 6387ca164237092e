// String sorting and string functions: qsort of generated words with
// strcmp and a custom order, bsearch, integer and double sorts, strtok,
// strstr, memmove on overlapping ranges.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WORDS 20000

static uint32_t seed = 12345;
static uint32_t rnd(void) {
  seed = seed * 1103515245u + 12345u;
  return seed >> 8;
}

static int by_strcmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Longer words first, then case-insensitive, then plain strcmp: a total order. */
static int by_length_then_case(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  size_t lx = strlen(x), ly = strlen(y);
  if (lx != ly) return lx < ly ? 1 : -1;
  int c = strcasecmp(x, y);
  return c ? c : strcmp(x, y);
}

static int by_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int by_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static uint64_t hash_words(char **w, int n) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < n; i++)
    for (const char *p = w[i]; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  return h;
}

int main(void) {
  static char *words[WORDS];
  for (int i = 0; i < WORDS; i++) {
    int len = 1 + (int)(rnd() % 12);
    char *w = malloc((size_t)len + 1);
    for (int k = 0; k < len; k++) {
      uint32_t r = rnd() % 60;
      w[k] = r < 26 ? (char)('a' + r) : r < 52 ? (char)('A' + r - 26) : (char)('0' + r - 52);
    }
    w[len] = 0;
    words[i] = w;
  }
  qsort(words, WORDS, sizeof *words, by_strcmp);
  printf("strcmp order: first %s %s %s, last %s, hash %016llx\n", words[0], words[1], words[2], words[WORDS - 1],
         (unsigned long long)hash_words(words, WORDS));
  int sorted = 1;
  for (int i = 1; i < WORDS; i++) sorted &= strcmp(words[i - 1], words[i]) <= 0;
  const char *key = words[WORDS / 2];
  char **found = bsearch(&key, words, WORDS, sizeof *words, by_strcmp);
  printf("sorted %d, bsearch finds index %ld\n", sorted, found ? (long)(found - words) : -1L);
  qsort(words, WORDS, sizeof *words, by_length_then_case);
  printf("length order: %s %s ... %s, hash %016llx\n", words[0], words[1], words[WORDS - 1],
         (unsigned long long)hash_words(words, WORDS));
  for (int i = 0; i < WORDS; i++) free(words[i]);

  static int ints[100000];
  for (int i = 0; i < 100000; i++) ints[i] = (int)(rnd() % 2000001) - 1000000;
  qsort(ints, 100000, sizeof *ints, by_int);
  long long isum = 0;
  for (int i = 0; i < 100000; i += 1000) isum += ints[i];
  printf("ints: min %d median %d max %d sample sum %lld\n", ints[0], ints[50000], ints[99999], isum);

  static double ds[50000];
  for (int i = 0; i < 50000; i++) ds[i] = (double)rnd() / 16777216.0 * 2000.0 - 1000.0;
  qsort(ds, 50000, sizeof *ds, by_double);
  printf("doubles: min %.9f median %.9f max %.9f\n", ds[0], ds[25000], ds[49999]);

  char text[] = "the quick brown fox; jumps over, the lazy dog";
  int n = 0;
  for (char *save, *t = strtok_r(text, " ;,", &save); t; t = strtok_r(NULL, " ;,", &save)) {
    printf("%s%d:%s", n ? " " : "", n, t);
    n++;
  }
  printf("\n");
  const char *hay = "abracadabra";
  printf("strstr %s, strrchr %s, strspn %zu, strcspn %zu, strchr %s\n", strstr(hay, "cad"), strrchr(hay, 'b'),
         strspn(hay, "abr"), strcspn(hay, "cd"), strchr(hay, 'z') ? "found" : "(none)");
  char buf[32] = "0123456789abcdef";
  memmove(buf + 4, buf, 10);
  printf("memmove forward: %s\n", buf);
  memmove(buf, buf + 6, 10);
  printf("memmove backward: %s\n", buf);
  char dup[64];
  const char *volatile tail = "suffix-that-is-long";
  printf("strncpy/strncat: %s\n", strncat(strncpy(dup, "prefix-", sizeof dup), tail, 6));
  printf("memcmp %d %d, strncmp %d\n", memcmp("abc", "abd", 3) < 0, memcmp("abc", "abc", 3), strncmp("abcdef", "abcxyz", 3));
  return 0;
}
