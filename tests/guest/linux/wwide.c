/* A program whose stdout is wide-oriented: wprintf, putwchar, fgetws on stdin,
 * in the C locale (see wide.c), where non-ASCII characters do not convert. */
#include <locale.h>
#include <stdio.h>
#include <wchar.h>

int main(void) {
  setlocale(LC_ALL, "C");
  wprintf(L"wide %d %ls %lc %5.2f\n", 42, L"str\u00e9", (wint_t)0x20ac, 3.14159);
  putwchar(L'x');
  putwchar(L'\n');
  wchar_t line[64];
  while (fgetws(line, 64, stdin)) wprintf(L"got[%zu] %ls", wcslen(line), line);
  wprintf(L"orientation=%d\n", fwide(stdout, 0));
  fwprintf(stderr, L"err %ls\n", L"wide");
  return 0;
}
