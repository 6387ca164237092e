// argv and the environment: prints argc, the arguments (argv[0] by its last
// component: the directory differs between runs), the environment in order and
// a few lookups, then exits with the code given as the first argument.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  const char *slash = strrchr(argv[0], '/');
  printf("argc %d, program %s\n", argc, slash ? slash + 1 : argv[0]);
  for (int i = 1; i < argc; i++) printf("argv[%d] = \"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");
  int n = 0;
  for (char **e = environ; *e; e++) printf("env[%d] = %s\n", n++, *e);
  printf("%d environment strings\n", n);
  const char *keys[] = {"HOME", "GREETING", "EMPTY", "MISSING"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const char *v = getenv(keys[i]);
    printf("getenv(%s) = %s%s%s\n", keys[i], v ? "\"" : "", v ? v : "NULL", v ? "\"" : "");
  }
  setenv("ADDED", "by setenv", 1);
  unsetenv("GREETING");
  printf("after setenv/unsetenv: ADDED=%s GREETING=%s\n", getenv("ADDED"), getenv("GREETING") ? "still set" : "gone");
  fflush(stdout);
  fprintf(stderr, "exiting with %s\n", argc > 1 ? argv[1] : "0");
  return argc > 1 ? atoi(argv[1]) : 0;
}
