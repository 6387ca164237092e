// coremark-like: a CoreMark-style mix (written for edgevm, not derived from
// CoreMark's sources). Each iteration runs four kernels on freshly seeded data
// and chains their results through a CRC16:
//   list    a singly linked list in a static node pool: build, search, reverse,
//           merge sort by two different keys, remove/reinsert nodes
//   matrix  16-bit integer matrices: multiply (32-bit accumulators), scale,
//           add a constant, extract bit fields
//   state   a byte-driven state machine that classifies comma-separated
//           tokens (integer, hex, decimal, exponent, identifier, invalid)
//   crc     CRC16 (CCITT polynomial, bitwise) over every result
#include "bench.h"

#ifndef ITERS
#define ITERS 600
#endif

// ---------------------------------------------------------------- CRC16 ----

static uint16_t crc16_byte(uint16_t crc, uint8_t b) {
  crc ^= (uint16_t)b << 8;
  for (int i = 0; i < 8; i++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
  return crc;
}

static uint16_t crc16_u16(uint16_t crc, uint16_t v) {
  crc = crc16_byte(crc, (uint8_t)(v & 0xff));
  return crc16_byte(crc, (uint8_t)(v >> 8));
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v) {
  crc = crc16_u16(crc, (uint16_t)(v & 0xffff));
  return crc16_u16(crc, (uint16_t)(v >> 16));
}

// ----------------------------------------------------------------- list ----

#define LIST_NODES 256

typedef struct node {
  struct node *next;
  int16_t key;
  uint16_t val;
} node;

static node pool[LIST_NODES];

static node *list_build(bench_rng *rng, uint32_t n) {
  node *head = 0;
  for (uint32_t i = 0; i < n; i++) {
    node *p = &pool[i];
    uint64_t r = bench_next(rng);
    p->key = (int16_t)(int32_t)((r >> 16) & 0xffff) ;
    p->val = (uint16_t)(r >> 40);
    p->next = head;
    head = p;
  }
  return head;
}

static node *list_find_key(node *p, int16_t key) {
  while (p && p->key != key) p = p->next;
  return p;
}

static node *list_find_val(node *p, uint16_t val) {
  while (p && (p->val & 0xff) != val) p = p->next;
  return p;
}

static node *list_reverse(node *p) {
  node *prev = 0;
  while (p) {
    node *n = p->next;
    p->next = prev;
    prev = p;
    p = n;
  }
  return prev;
}

// cmp < 0 when a sorts before b.
typedef int32_t (*node_cmp)(const node *a, const node *b);

static int32_t cmp_key(const node *a, const node *b) { return (int32_t)a->key - (int32_t)b->key; }

static int32_t cmp_val(const node *a, const node *b) {
  // Sort by a derived value so the comparison does some work.
  uint32_t x = (uint32_t)(a->val ^ (a->val >> 3)) * 2654435761u;
  uint32_t y = (uint32_t)(b->val ^ (b->val >> 3)) * 2654435761u;
  x >>= 16;
  y >>= 16;
  return x < y ? -1 : (x > y ? 1 : (int32_t)a->val - (int32_t)b->val);
}

// Bottom-up merge sort of a singly linked list (stable, no recursion).
static node *list_sort(node *list, node_cmp cmp) {
  if (!list) return list;
  for (uint32_t width = 1;; width *= 2) {
    node *p = list, *tail = 0;
    list = 0;
    uint32_t merges = 0;
    while (p) {
      merges++;
      node *q = p;
      uint32_t psize = 0;
      for (uint32_t i = 0; i < width && q; i++) {
        psize++;
        q = q->next;
      }
      uint32_t qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        node *e;
        if (psize == 0) {
          e = q;
          q = q->next;
          qsize--;
        } else if (qsize == 0 || !q || cmp(p, q) <= 0) {
          e = p;
          p = p->next;
          psize--;
        } else {
          e = q;
          q = q->next;
          qsize--;
        }
        if (tail)
          tail->next = e;
        else
          list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    if (merges <= 1) return list;
  }
}

static uint16_t list_checksum(const node *p, uint16_t crc) {
  uint32_t idx = 0;
  for (; p; p = p->next, idx++) crc = crc16_u16(crc, (uint16_t)(p->val + (uint16_t)p->key * (uint16_t)idx));
  return crc;
}

static uint16_t list_bench(bench_rng *rng, uint16_t crc) {
  node *list = list_build(rng, LIST_NODES);
  uint32_t found = 0, missing = 0;
  for (uint32_t i = 0; i < 24; i++) {
    int16_t k = pool[bench_below(rng, LIST_NODES)].key;
    if (i & 3) k = (int16_t)(k + 1);  // usually absent: walks the whole list
    node *f = list_find_key(list, k);
    if (f)
      found += f->val;
    else
      missing++;
    node *g = list_find_val(list, (uint16_t)(bench_next(rng) & 0xff));
    if (g) found ^= (uint32_t)g->key & 0xffff;
  }
  crc = crc16_u32(crc, found);
  crc = crc16_u16(crc, (uint16_t)missing);
  list = list_reverse(list);
  list = list_sort(list, cmp_val);
  crc = list_checksum(list, crc);
  // Unlink every third node and put it back at the head, then sort by key.
  node *prev = list;
  for (node *p = list ? list->next : 0; p;) {
    node *n = p->next;
    if (((uint16_t)p->key % 3u) == 0) {
      prev->next = n;
      p->next = list;
      list = p;
    } else {
      prev = p;
    }
    p = n;
  }
  list = list_sort(list, cmp_key);
  return list_checksum(list, crc);
}

// --------------------------------------------------------------- matrix ----

#define MAT_N 20

static int16_t mat_a[MAT_N * MAT_N], mat_b[MAT_N * MAT_N];
static int32_t mat_c[MAT_N * MAT_N];

static uint16_t matrix_bench(bench_rng *rng, uint16_t crc) {
  for (uint32_t i = 0; i < MAT_N * MAT_N; i++) {
    uint64_t r = bench_next(rng);
    mat_a[i] = (int16_t)((int32_t)(r & 0x3ff) - 512);
    mat_b[i] = (int16_t)((int32_t)((r >> 20) & 0x3ff) - 512);
  }
  // C = A * B
  for (uint32_t i = 0; i < MAT_N; i++)
    for (uint32_t j = 0; j < MAT_N; j++) {
      int32_t s = 0;
      for (uint32_t k = 0; k < MAT_N; k++) s += (int32_t)mat_a[i * MAT_N + k] * (int32_t)mat_b[k * MAT_N + j];
      mat_c[i * MAT_N + j] = s;
    }
  uint32_t acc = 0;
  for (uint32_t i = 0; i < MAT_N * MAT_N; i++) acc += (uint32_t)mat_c[i] ^ (uint32_t)(mat_c[i] >> 7);
  crc = crc16_u32(crc, acc);
  // A += constant; C = A * constant; sum bit fields of C.
  int16_t k16 = (int16_t)((int32_t)(bench_next(rng) & 0xff) - 128);
  for (uint32_t i = 0; i < MAT_N * MAT_N; i++) mat_a[i] = (int16_t)(mat_a[i] + k16);
  for (uint32_t i = 0; i < MAT_N * MAT_N; i++) mat_c[i] = (int32_t)mat_a[i] * (int32_t)k16;
  uint32_t fields = 0;
  for (uint32_t i = 0; i < MAT_N * MAT_N; i++) {
    uint32_t v = (uint32_t)mat_c[i];
    fields += ((v >> 2) & 0xf) * ((v >> 5) & 0x7f);
  }
  crc = crc16_u32(crc, fields);
  // C = A * B^T with a row/column bit extraction, so the loop nest differs.
  int32_t maxv = -2147483647 - 1;
  for (uint32_t i = 0; i < MAT_N; i++)
    for (uint32_t j = 0; j < MAT_N; j++) {
      int32_t s = 0;
      for (uint32_t k = 0; k < MAT_N; k++) s += (int32_t)mat_a[i * MAT_N + k] * (int32_t)mat_b[j * MAT_N + k];
      if (s > maxv) maxv = s;
      mat_c[i * MAT_N + j] = (s >> 3) & 0x7fff;
    }
  for (uint32_t i = 0; i < MAT_N * MAT_N; i += 7) crc = crc16_u16(crc, (uint16_t)mat_c[i]);
  return crc16_u32(crc, (uint32_t)maxv);
}

// ---------------------------------------------------------------- state ----

#define TEXT_LEN 1024

static uint8_t text[TEXT_LEN];

enum { S_START, S_SIGN, S_INT, S_ZERO, S_HEX, S_POINT, S_FRAC, S_EXP, S_EXPSIGN, S_EXPNUM, S_IDENT, S_BAD, S_COUNT };

static const char *const frags[] = {"0", "7", "12", "-3", "+45", "0x1f", "0xZ", "3.25", "-0.5", ".", "6e9",
                                    "2.5e-3", "1e", "abc", "x_1", "_", "9a", "--1", "0.", "1.2.3"};

static void text_build(bench_rng *rng) {
  uint32_t n = 0;
  while (n < TEXT_LEN - 12) {
    const char *f = frags[bench_below(rng, (uint32_t)BENCH_COUNT(frags))];
    while (*f && n < TEXT_LEN - 2) text[n++] = (uint8_t)*f++;
    text[n++] = (bench_next(rng) & 7) == 0 ? (uint8_t)' ' : (uint8_t)',';
  }
  while (n < TEXT_LEN) text[n++] = ',';
}

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int is_alpha(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_hex(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static uint32_t step(uint32_t s, uint8_t c) {
  switch (s) {
    case S_START:
      if (c == '+' || c == '-') return S_SIGN;
      if (c == '0') return S_ZERO;
      if (is_digit(c)) return S_INT;
      if (c == '.') return S_POINT;
      if (is_alpha(c)) return S_IDENT;
      return S_BAD;
    case S_SIGN:
      if (c == '0') return S_ZERO;
      if (is_digit(c)) return S_INT;
      if (c == '.') return S_POINT;
      return S_BAD;
    case S_ZERO:
      if (c == 'x' || c == 'X') return S_HEX;
      /* fall through */
    case S_INT:
      if (is_digit(c)) return S_INT;
      if (c == '.') return S_FRAC;
      if (c == 'e' || c == 'E') return S_EXP;
      return S_BAD;
    case S_HEX:
      return is_hex(c) ? S_HEX : S_BAD;
    case S_POINT:
      return is_digit(c) ? S_FRAC : S_BAD;
    case S_FRAC:
      if (is_digit(c)) return S_FRAC;
      if (c == 'e' || c == 'E') return S_EXP;
      return S_BAD;
    case S_EXP:
      if (c == '+' || c == '-') return S_EXPSIGN;
      return is_digit(c) ? S_EXPNUM : S_BAD;
    case S_EXPSIGN:
    case S_EXPNUM:
      return is_digit(c) ? S_EXPNUM : S_BAD;
    case S_IDENT:
      return (is_alpha(c) || is_digit(c)) ? S_IDENT : S_BAD;
    default:
      return S_BAD;
  }
}

static uint16_t state_bench(bench_rng *rng, uint16_t crc) {
  text_build(rng);
  uint32_t final_counts[S_COUNT] = {0};
  uint32_t transitions = 0;
  uint32_t s = S_START;
  for (uint32_t i = 0; i < TEXT_LEN; i++) {
    uint8_t c = text[i];
    if (c == ',' || c == ' ') {
      final_counts[s]++;
      s = S_START;
      continue;
    }
    uint32_t t = step(s, c);
    if (t != s) transitions++;
    s = t;
  }
  // Corrupt a few bytes and run again (CoreMark-style second pass).
  for (uint32_t i = 0; i < 16; i++) {
    uint32_t at = bench_below(rng, TEXT_LEN);
    if (text[at] != ',' && text[at] != ' ') text[at] = (uint8_t)(text[at] ^ 1);
  }
  s = S_START;
  for (uint32_t i = 0; i < TEXT_LEN; i++) {
    uint8_t c = text[i];
    if (c == ',' || c == ' ') {
      final_counts[s] += 0x10000;
      s = S_START;
      continue;
    }
    s = step(s, c);
  }
  for (uint32_t i = 0; i < S_COUNT; i++) crc = crc16_u32(crc, final_counts[i]);
  return crc16_u32(crc, transitions);
}

// ----------------------------------------------------------------- main ----

int main(void) {
  bench_rng rng = {0x66c0ffee12345ULL};
  uint16_t crc = 0xffff;
  uint64_t sum = 0;
  for (uint32_t it = 0; it < ITERS; it++) {
    uint16_t cl = list_bench(&rng, crc);
    uint16_t cm = matrix_bench(&rng, cl);
    uint16_t cs = state_bench(&rng, cm);
    crc = cs;
    sum = bench_fold(sum, ((uint64_t)cl << 32) | ((uint64_t)cm << 16) | cs);
  }
  // Reference checksums for the small and full variants (bench/workloads/workloads.txt).
  static const bench_expect expect[] = {
      {30, 0x4a3f7d3d997f6ea7ULL},
      {600, 0xc8a977bc96dd1d7eULL},
  };
  return bench_report("coremark-like", ITERS, sum, expect, BENCH_COUNT(expect));
}
