// stdio: formatted integers and floats (printf's conversions and flags,
// special values, long double), string conversions with errno, scanf, and
// line-oriented stdin. The expected output comes from qemu-riscv64 running the
// same binary, so every digit must match.
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void integers(void) {
  printf("[%d] [%i] [%u] [%x] [%X] [%o]\n", INT_MIN, INT_MAX, UINT_MAX, 0xdeadbeef, 0xcafe, 0777);
  printf("[%#x] [%#o] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d]\n", 255, 8, 42, 42, 42, 42, 42, 7);
  printf("[%ld] [%lld] [%llu] [%hhd] [%hd] [%zu] [%jd]\n", LONG_MIN, LLONG_MAX, ULLONG_MAX, (signed char)200,
         (short)70000, sizeof(long double), (intmax_t)-1);
  printf("[%" PRId64 "] [%" PRIx64 "] [%*d] [%-*d] [%%] [%c] [%.3s] [%10s] [%-10s]\n", INT64_MIN,
         UINT64_MAX, 6, 12, 6, 12, 'A', "abcdef", "right", "left");
  printf("[%p] [%s]\n", (void *)0, "(null pointer above)");
}

static void floats(void) {
  volatile double zero = 0.0;
  const double values[] = {0.0, -0.0, 1.0, -1.5, 3.14159265358979, 1e-300, 1e300, 123456789.125,
                           0.1, 2.5, 4.9e-324, DBL_MAX, DBL_MIN, 1.0 / 3.0, 2.0 / 3.0, 1e21, 1e22,
                           9.999999e-5, 0.125, 0.375, 2.675, 1.005, 5e-5, 123.456e10};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    double v = values[i];
    printf("%f|%.0f|%.10f|%e|%.3e|%g|%.17g|%a|%10.4f|%-12.3g|%+.2f|%G\n", v, v, v, v, v, v, v, v, v, v, v, v);
  }
  printf("%f %F %e %g %a %f %f\n", INFINITY, -INFINITY, -HUGE_VAL, INFINITY, INFINITY, zero / zero, -(zero / zero));
  const float fl[] = {1.1f, FLT_MAX, FLT_MIN, 16777217.0f, 0.1f, 1e-45f};
  for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++) printf("%.9g %a %f\n", fl[i], fl[i], fl[i]);
  long double third = 1.0L / 3.0L;
  printf("%Lf %.30Lg %La %Le\n", third, third, third, 1e4000L);
  printf("%.40f\n", 0.1);
  printf("%.60g\n", DBL_TRUE_MIN);
}

static void conversions(void) {
  const char *inputs[] = {"0.1", "1e-400", "0x1.8p3", "inf", "-nan", "1.7976931348623159e308",
                          "2.2250738585072011e-308", "  42.5xyz", "", "1e+", "123456789012345678901234567890"};
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    char *end;
    errno = 0;
    double d = strtod(inputs[i], &end);
    printf("strtod(\"%s\") = %a (%.17g) rest \"%s\" errno %d\n", inputs[i], d, d, end, errno);
  }
  const char *ints[] = {"2147483647", "2147483648", "-9223372036854775808", "9223372036854775808", "0x7f", "0777", "z"};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    char *end;
    errno = 0;
    long l = strtol(ints[i], &end, 0);
    int e1 = errno;
    errno = 0;
    unsigned long long u = strtoull(ints[i], NULL, 0);
    printf("strtol(\"%s\") = %ld errno %d rest \"%s\"; strtoull = %llu errno %d; atoi = %d\n", ints[i], l, e1, end,
           u, errno, atoi(ints[i]));
  }
  int n = 0;
  double d = 0;
  char word[16] = "";
  unsigned x = 0;
  int got = sscanf("42 3.5 hello 0x1F", "%d %lf %15s %x", &n, &d, word, &x);
  printf("sscanf: %d fields: %d %g %s %u\n", got, n, d, word, x);
  char buf[8];
  const char *volatile text = "hello world";
  int len = snprintf(buf, sizeof buf, "%s", text);
  printf("snprintf: %d \"%s\"\n", len, buf);
}

static void lines(void) {
  char line[256];
  int count = 0;
  long sum = 0;
  size_t chars = 0;
  while (fgets(line, sizeof line, stdin)) {
    count++;
    chars += strlen(line);
    for (char *p = line; *p;) {
      char *end;
      long v = strtol(p, &end, 10);
      if (end != p) {
        sum += v;
        p = end;
      } else {
        p++;
      }
    }
    line[strcspn(line, "\n")] = 0;
    for (char *p = line; *p; p++)
      if (*p >= 'a' && *p <= 'z') *p -= 32;
    printf("%3d: %s\n", count, line);
  }
  printf("stdin: %d lines, %zu chars, numbers sum to %ld, eof %d\n", count, chars, sum, feof(stdin));
}

int main(void) {
  integers();
  floats();
  conversions();
  puts("puts adds a newline");
  fputs("fputs does not\n", stdout);
  putchar('!');
  fputc('\n', stdout);
  fwrite("fwrite 12345\n", 1, 13, stdout);
  fprintf(stderr, "to stderr: %d %s\n", 7, "ok");
  errno = ENOENT;
  perror("perror");
  lines();
  return 0;
}
