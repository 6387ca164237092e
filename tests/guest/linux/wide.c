/* Locales, ctype and wide characters in the C locale. (C.UTF-8 is not
 * compiled into glibc: setlocale loads it from /usr/lib/locale, which a guest
 * under qemu-user finds on the host and edgevm does not have.) */
#define _GNU_SOURCE
#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

static void classify(void) {
  for (int c = 0; c < 256; c += 17)
    printf("%02x:%d%d%d%d%d%d%d ", c, !!isalpha(c), !!isdigit(c), !!isspace(c), !!ispunct(c), !!isupper(c), !!isprint(c),
           toupper(c));
  printf("\n");
}

static void conv(const char *label) {
  const char *utf8 = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80";
  wchar_t wbuf[32];
  size_t n = mbstowcs(wbuf, utf8, 32);
  printf("%s mbstowcs=%zd", label, (ssize_t)n);
  if (n != (size_t)-1)
    for (size_t i = 0; i < n; i++) printf(" %x", (unsigned)wbuf[i]);
  printf(" mblen=%d MB_CUR_MAX=%zu\n", mblen("\xc3\xa9", 2), MB_CUR_MAX);
  wchar_t src[] = {L'A', 0xe9, 0x20ac, 0};
  char out[32];
  size_t m = wcstombs(out, src, sizeof out);
  printf("%s wcstombs=%zd", label, (ssize_t)m);
  if (m != (size_t)-1)
    for (size_t i = 0; i < m; i++) printf(" %02x", (unsigned char)out[i]);
  printf(" iswalpha(e9)=%d towupper(e9)=%x wcwidth(20ac)=%d\n", !!iswalpha(0xe9), (unsigned)towupper(0xe9), wcwidth(0x20ac));
  printf("%s codeset=%s\n", label, nl_langinfo(CODESET));
}

int main(void) {
  printf("initial=%s\n", setlocale(LC_ALL, NULL));
  classify();
  conv("C");
  const char *r = setlocale(LC_ALL, "POSIX");
  printf("POSIX -> %s\n", r ? r : "(null)");
  r = setlocale(LC_ALL, "xx_YY.bogus");
  printf("bogus -> %s\n", r ? r : "(null)");
  setlocale(LC_ALL, "C");
  struct lconv *lc = localeconv();
  printf("decimal='%s' thousands='%s'\n", lc->decimal_point, lc->thousands_sep);
  wchar_t ws[] = L"wide string";
  printf("wcslen=%zu wcscmp=%d\n", wcslen(ws), wcscmp(ws, L"wide"));
  printf("strcoll=%d strxfrm=%zu\n", strcoll("abc", "abd") < 0, strxfrm(NULL, "hello", 0));
  fwide(stdout, 0);
  printf("done narrow\n");
  return 0;
}
