/* Number conversions and formatting edge cases, plus getopt_long. */
#define _GNU_SOURCE
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void conv(const char *s) {
  char *end;
  errno = 0;
  double d = strtod(s, &end);
  int e1 = errno;
  errno = 0;
  long l = strtol(s, NULL, 0);
  int e2 = errno;
  errno = 0;
  unsigned long long u = strtoull(s, NULL, 0);
  int e3 = errno;
  long double ld = strtold(s, NULL);
  float f = strtof(s, NULL);
  printf("%-24s d=%.17g a=%a rest='%s' e=%d | l=%ld e=%d | u=%llu e=%d | ld=%.21Lg f=%.9g\n", s, d, d, end, e1, l, e2,
         u, e3, ld, (double)f);
}

int main(int argc, char **argv) {
  const char *inputs[] = {"0",   "-0",         "1e308",       "1e309",   "-1e-400", "0x1.8p3", "0x7fffffffffffffff",
                          "0x8000000000000000", "-1",  "inf",  "-Infinity", "nan",    "nan(123)", "  +12.5e-1xyz",
                          "077", "0b101",      "4.9406564584124654e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
                          "99999999999999999999", "", "abc", "0x", "1e", ".5", "5."};
  for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) conv(inputs[i]);

  double vals[] = {0.0, -0.0, 1.0, 0.1, 1.0 / 3, 123456789.125, 1e-10, 1e21, DBL_MAX, DBL_MIN, DBL_TRUE_MIN, INFINITY, -INFINITY, NAN};
  for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
    double v = vals[i];
    printf("[%g] [%.0g] [%.3g] [%#.3g] [%e] [%.0e] [%f] [%.2f] [%a] [%A] [%.3a] [%+10.4g] [%-12.3e|] [%012.3f]\n", v, v, v,
           v, v, v, v, v, v, v, v, v, v, v);
  }
  long double lds[] = {1.0L / 3, LDBL_MAX, LDBL_MIN, 1e4000L, -2.5L};
  for (size_t i = 0; i < sizeof lds / sizeof *lds; i++)
    printf("[%Lg] [%.30Lg] [%La] [%Le]\n", lds[i], lds[i], lds[i], lds[i]);
  printf("[%d] [%i] [%5d] [%-5d|] [%05d] [%+d] [% d] [%x] [%#x] [%X] [%#o] [%o] [%u]\n", INT_MIN, INT_MAX, 42, 42, 42, 42, 42,
         255u, 255u, 255u, 8u, 0u, UINT_MAX);
  printf("[%lld] [%llu] [%" PRId64 "] [%" PRIx64 "] [%hhd] [%hd] [%zu] [%td] [%jd]\n", LLONG_MIN, ULLONG_MAX, INT64_MAX,
         UINT64_MAX, 300, 70000, (size_t)-1, (ptrdiff_t)-5, (intmax_t)-7);
  printf("[%s] [%.3s] [%10s] [%-10s|] [%c] [%5c] [%%] [%*d] [%-*d|] [%.*f]\n", "hello", "hello", "hi", "hi", 'x', 'y', 6, 7, 6,
         7, 3, 3.14159);
  int n1 = 0, n2 = 0;
  printf("abc%nde%n\n", &n1, &n2);
  printf("n=%d,%d\n", n1, n2);
  char buf[16];
  int r = snprintf(buf, sizeof buf, "%s-%d-%f", "truncated string", 12345, 1.5);
  printf("snprintf=%d '%s'\n", r, buf);
  printf("%s\n", strerror(ERANGE));
  int a, b;
  char word[16];
  double d;
  int got = sscanf("  12 0x1f word 3.5e2 tail", "%d %i %15s %lf", &a, &b, word, &d);
  printf("sscanf=%d %d %d %s %g\n", got, a, b, word, d);
  printf("atoi=%d atol=%ld atof=%g\n", atoi("  -42abc"), atol("9223372036854775807"), atof("1.5e3"));
  printf("lround=%ld rint=%g nearbyint=%g fmod=%g remainder=%g frexp=", lround(2.5), rint(2.5), nearbyint(3.5), fmod(-7, 3),
         remainder(7, 4));
  int ex;
  double m = frexp(48.0, &ex);
  printf("%g*2^%d ldexp=%g cbrt=%g hypot=%g\n", m, ex, ldexp(0.75, 6), cbrt(-27), hypot(3, 4));

  static const struct option opts[] = {{"verbose", no_argument, 0, 'v'},
                                       {"name", required_argument, 0, 'n'},
                                       {"level", optional_argument, 0, 'l'},
                                       {0, 0, 0, 0}};
  int c, idx;
  opterr = 1;
  while ((c = getopt_long(argc, argv, "vn:l::x", opts, &idx)) != -1) {
    switch (c) {
      case 'v': printf("opt verbose\n"); break;
      case 'n': printf("opt name=%s\n", optarg); break;
      case 'l': printf("opt level=%s\n", optarg ? optarg : "(none)"); break;
      case 'x': printf("opt x\n"); break;
      default: printf("opt unknown (%c) optopt=%d\n", c, optopt); break;
    }
  }
  for (int i = optind; i < argc; i++) printf("operand %s\n", argv[i]);
  fflush(stdout);
  return 0;
}
