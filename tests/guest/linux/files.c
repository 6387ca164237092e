// File I/O and directories inside a fresh directory under /tmp: stdio and
// raw descriptors, offsets and appends, truncation, links, renames, directory
// listings (sorted before printing), descriptor duplication, pipes, devices,
// and the errno of each classic mistake. Cleans up after itself.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static const char *path(const char *name) {
  static char buf[4][128];
  static int i;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
  return buf[i];
}

static void check(const char *what, int r) {
  printf("%-34s %s\n", what, r < 0 ? strerror(errno) : "ok");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *name) {
  DIR *d = opendir(path(name));
  if (!d) {
    printf("opendir %s: %s\n", name, strerror(errno));
    return;
  }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    char type = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
    names[n] = malloc(strlen(e->d_name) + 3);
    sprintf(names[n++], "%s%c", e->d_name, type);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, cmp);
  printf("ls %s:", name);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void stdio_files(void) {
  FILE *f = fopen(path("notes.txt"), "w");
  for (int i = 1; i <= 100; i++) fprintf(f, "line %d: %d squared is %d\n", i, i, i * i);
  fclose(f);
  f = fopen(path("notes.txt"), "a+");
  fputs("appended line\n", f);
  fseek(f, 0, SEEK_SET);
  char line[128];
  int lines = 0;
  while (fgets(line, sizeof line, f)) lines++;
  printf("notes.txt: %d lines, ftell %ld, last: %s", lines, ftell(f), line);
  fseek(f, 7, SEEK_SET);
  int c = fgetc(f);
  ungetc('X', f);
  printf("fgetc at 7: '%c', after ungetc: '%c'\n", c, fgetc(f));
  fclose(f);
  struct stat st;
  stat(path("notes.txt"), &st);
  printf("stat: size %lld, regular %d, mode %o, links %lu\n", (long long)st.st_size, S_ISREG(st.st_mode),
         st.st_mode & 07777, (unsigned long)st.st_nlink);
}

static void raw_files(void) {
  int fd = open(path("raw.bin"), O_RDWR | O_CREAT | O_TRUNC, 0600);
  char block[256];
  for (int i = 0; i < 256; i++) block[i] = (char)i;
  ssize_t w = write(fd, block, sizeof block);
  off_t end = lseek(fd, 0, SEEK_END);
  off_t far = lseek(fd, 4096, SEEK_SET);
  w += write(fd, "tail", 4);
  struct stat st;
  fstat(fd, &st);
  printf("raw: wrote %zd, end %lld, seek %lld, size now %lld\n", w, (long long)end, (long long)far, (long long)st.st_size);
  char hole[8];
  ssize_t r = pread(fd, hole, sizeof hole, 1000);
  printf("pread in the hole: %zd bytes, all zero %d\n", r, memcmp(hole, "\0\0\0\0\0\0\0\0", 8) == 0);
  pwrite(fd, "PW", 2, 10);
  pread(fd, hole, 4, 8);
  printf("pwrite then pread: %02x %02x %02x %02x, offset still %lld\n", (unsigned char)hole[0], (unsigned char)hole[1],
         (unsigned char)hole[2], (unsigned char)hole[3], (long long)lseek(fd, 0, SEEK_CUR));
  ftruncate(fd, 100);
  fstat(fd, &st);
  printf("ftruncate: size %lld, read at end %zd\n", (long long)st.st_size, read(fd, hole, 8));
  int flags = fcntl(fd, F_GETFL);
  printf("fcntl: accmode %d, append %d, cloexec %d\n", flags & O_ACCMODE, !!(flags & O_APPEND), fcntl(fd, F_GETFD));
  close(fd);
  fd = open(path("raw.bin"), O_WRONLY | O_APPEND);
  lseek(fd, 0, SEEK_SET);
  write(fd, "++", 2);
  close(fd);
  stat(path("raw.bin"), &st);
  printf("O_APPEND ignores lseek: size %lld\n", (long long)st.st_size);
}

static void names(void) {
  check("mkdir sub", mkdir(path("sub"), 0755));
  check("mkdir sub/deeper", mkdir(path("sub/deeper"), 0700));
  check("mkdir sub again", mkdir(path("sub"), 0755));
  check("link notes.txt hard", link(path("notes.txt"), path("hard")));
  check("symlink notes.txt soft", symlink("notes.txt", path("soft")));
  char target[64] = {0};
  ssize_t n = readlink(path("soft"), target, sizeof target - 1);
  printf("readlink soft: %zd \"%s\"\n", n, target);
  check("readlink notes.txt", (int)readlink(path("notes.txt"), target, sizeof target));
  struct stat st, lst;
  stat(path("soft"), &st);
  lstat(path("soft"), &lst);
  printf("stat via symlink: regular %d, size %lld; lstat: symlink %d, size %lld; links %lu\n", S_ISREG(st.st_mode),
         (long long)st.st_size, S_ISLNK(lst.st_mode), (long long)lst.st_size, (unsigned long)st.st_nlink);
  check("rename raw.bin sub/moved.bin", rename(path("raw.bin"), path("sub/moved.bin")));
  check("rename sub into sub/deeper", rename(path("sub"), path("sub/deeper/x")));
  check("open raw.bin (gone)", open(path("raw.bin"), O_RDONLY));
  check("open notes.txt O_CREAT|O_EXCL", open(path("notes.txt"), O_CREAT | O_EXCL | O_WRONLY, 0600));
  check("open sub O_WRONLY", open(path("sub"), O_WRONLY));
  check("open notes.txt/ (trailing slash)", open(path("notes.txt/"), O_RDONLY));
  check("rmdir sub (not empty)", rmdir(path("sub")));
  check("unlink sub (a directory)", unlink(path("sub")));
  check("opendir notes.txt", opendir(path("notes.txt")) ? 0 : -1);
  check("access notes.txt R_OK|W_OK", access(path("notes.txt"), R_OK | W_OK));
  check("access notes.txt X_OK", access(path("notes.txt"), X_OK));
  check("access missing F_OK", access(path("missing"), F_OK));
  check("chmod notes.txt 0640", chmod(path("notes.txt"), 0640));
  stat(path("notes.txt"), &st);
  printf("mode after chmod: %o\n", st.st_mode & 07777);
  list(".");
  list("sub");
  int dfd = open(path("sub"), O_RDONLY | O_DIRECTORY);
  check("openat(sub, new.txt)", openat(dfd, "new.txt", O_CREAT | O_WRONLY, 0644));
  check("fstatat(sub, moved.bin)", fstatat(dfd, "moved.bin", &st, 0));
  printf("moved.bin size %lld\n", (long long)st.st_size);
  check("unlinkat(sub, deeper, AT_REMOVEDIR)", unlinkat(dfd, "deeper", AT_REMOVEDIR));
  list("sub");
  close(dfd);
  char cwd[256];
  check("chdir into the directory", chdir(dir));
  printf("getcwd matches: %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0);
  check("open relative sub/moved.bin", open("sub/moved.bin", O_RDONLY));
  check("chdir /", chdir("/"));
}

static void descriptors(void) {
  fflush(stdout);
  int saved = dup(1);
  int fd = open(path("captured.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
  dup2(fd, 1);
  printf("this line went to captured.txt via dup2\n");
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  char buf[128] = {0};
  pread(fd, buf, sizeof buf - 1, 0);
  close(fd);
  printf("captured: %s", buf);
  int p[2];
  pipe(p);
  write(p[1], "through the pipe", 16);
  memset(buf, 0, sizeof buf);
  ssize_t n = read(p[0], buf, sizeof buf);
  close(p[1]);
  ssize_t eof = read(p[0], buf + 64, 8);
  close(p[0]);
  printf("pipe: read %zd \"%s\", then %zd at EOF\n", n, buf, eof);
  int nul = open("/dev/null", O_RDWR);
  printf("/dev/null: write %zd, read %zd\n", write(nul, "xyz", 3), read(nul, buf, 8));
  close(nul);
  int zero = open("/dev/zero", O_RDONLY);
  memset(buf, 1, 16);
  printf("/dev/zero: read %zd, zeros %d\n", read(zero, buf, 16), memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
  close(zero);
  struct stat st;
  stat("/dev/null", &st);
  printf("/dev/null is a character device: %d\n", S_ISCHR(st.st_mode));
  check("close(-1)", close(-1));
  check("close(999)", close(999));
  check("dup(999)", dup(999));
  FILE *t = tmpfile();
  if (t) {
    fputs("temporary", t);
    rewind(t);
    char tb[16] = {0};
    fgets(tb, sizeof tb, t);
    printf("tmpfile: %s\n", tb);
    fclose(t);
  }
}

static void cleanup(void) {
  const char *files[] = {"notes.txt", "hard", "soft", "captured.txt", "sub/moved.bin", "sub/new.txt"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) check(files[i], unlink(path(files[i])));
  check("rmdir sub", rmdir(path("sub")));
  check("rmdir the directory", rmdir(dir));
}

int main(void) {
  umask(022);
  strcpy(dir, "/tmp/edgevm-files-XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  stdio_files();
  raw_files();
  names();
  descriptors();
  cleanup();
  return 0;
}
