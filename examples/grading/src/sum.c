// Lab 1, "sum": reads whitespace-separated integers from stdin and prints
// their sum and a newline. `sum -o FILE` also writes the sum to FILE. A token
// that is not an integer: "sum: bad input" on stderr and exit status 1.
//
// The reference solution, and (built with -DBUG_...) the wrong ones the
// example course grades: each has one mistake students make.
#include "tiny.h"

static char buf[4096];

int main(int argc, char **argv) {
  const char *out = 0;
  if (argc == 3 && str_eq(argv[1], "-o")) {
    out = argv[2];
  } else if (argc != 1) {
    put_str(2, "usage: sum [-o FILE]\n");
    return 2;
  }
  long sum = 0, cur = 0, count = 0;
  int neg = 0, in = 0;
  for (int eof = 0; !eof;) {
    long n = sys_read(0, buf, sizeof buf);
    if (n < 0) return 3;
    // At end of input a pretend space ends the last number.
    if (n == 0) buf[n++] = ' ', eof = 1;
    for (long i = 0; i < n; i++) {
      char c = buf[i];
      if (c >= '0' && c <= '9') {
        cur = cur * 10 + (c - '0');
        in = 1;
      } else if (c == '-' && !in && !neg) {
        neg = 1;
      } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        if (neg && !in) goto bad;
        if (in) {
#ifdef BUG_SLOW
          // Re-adds everything so far for every number: quadratic.
          for (long k = 0; k < count * 64; k++) __asm__ volatile("");
#endif
          sum += neg ? -cur : cur;
          count++;
        }
        cur = 0, neg = 0, in = 0;
      } else {
        goto bad;
      }
    }
  }
#ifdef BUG_CRASH
  // Takes the first number from a table that is only made for non-empty input.
  long *first = count > 0 ? &sum : (long *)0;
  sum = *first;
#endif
#ifdef BUG_OFF_BY_ONE
  if (count > 2) sum -= 1;
#endif
  char text[24];
  int len = format_long(sum, text);
#ifndef BUG_NO_NEWLINE
  text[len++] = '\n';
#else
  text[len++] = ' ';
#endif
  sys_write(1, text, len);
  if (out) {
    long fd = sys_open_write(out);
    if (fd < 0) return 4;
    sys_write(fd, text, len);
    sys_close(fd);
  }
  return 0;
bad:
  put_str(2, "sum: bad input\n");
  return 1;
}
