/* Process-level APIs a grader's program touches: pipes with dup2, poll and
 * select, stdio on memory and temporary files, limits and sysconf, SA_SIGINFO
 * handlers, atexit ordering, deep recursion, regex and qsort/bsearch. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <grp.h>
#include <pwd.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static volatile sig_atomic_t got_sig, got_code, got_val;

static void on_sig(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got_sig = sig;
  got_code = si->si_code;
  got_val = si->si_value.sival_int;
}

static void bye1(void) { printf("atexit 1\n"); }
static void bye2(void) { printf("atexit 2\n"); }
static void bye3(int status, void *arg) { printf("on_exit status=%d arg=%s\n", status, (char *)arg); }

static int depth(int n) {
  volatile char pad[512];
  pad[0] = (char)n;
  return n == 0 ? pad[0] : depth(n - 1) + 1 + (pad[0] & 0);
}

static int cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

int main(void) {
  atexit(bye1);
  atexit(bye2);
  on_exit(bye3, "arg");

  int p[2];
  if (pipe(p) != 0) return 1;
  struct pollfd pf = {.fd = p[0], .events = POLLIN};
  printf("poll empty=%d revents=%d\n", poll(&pf, 1, 0), pf.revents);
  write(p[1], "ping\n", 5);
  printf("poll ready=%d revents=%d\n", poll(&pf, 1, 0), pf.revents);
  fd_set rs;
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  struct timeval tv = {0, 0};
  printf("select=%d isset=%d\n", select(p[0] + 1, &rs, NULL, NULL, &tv), FD_ISSET(p[0], &rs));
  char buf[64];
  ssize_t n = read(p[0], buf, sizeof buf);
  printf("read %zd '%.*s'\n", n, (int)n - 1, buf);
  int saved = dup(1);
  dup2(p[1], 1);
  printf("through the pipe\n");
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  n = read(p[0], buf, sizeof buf);
  printf("redirected %zd '%.*s'\n", n, (int)n - 1, buf);
  close(p[1]);
  printf("eof read=%zd\n", read(p[0], buf, sizeof buf));
  pf.events = POLLIN;
  printf("poll hup=%d revents=%#x\n", poll(&pf, 1, 0), pf.revents);
  close(p[0]);
  pipe2(p, O_NONBLOCK | O_CLOEXEC);
  errno = 0;
  printf("nonblock read=%zd errno=%s fdflags=%d flflags=%#x\n", read(p[0], buf, 1), strerrorname_np(errno),
         fcntl(p[0], F_GETFD), fcntl(p[0], F_GETFL) & ~0x8000);
  struct stat st;
  fstat(p[0], &st);
  printf("pipe is fifo=%d\n", S_ISFIFO(st.st_mode));
  close(p[0]);
  close(p[1]);

  FILE *t = tmpfile();
  fprintf(t, "line one\nline two\n");
  printf("ftell=%ld\n", ftell(t));
  fseek(t, 5, SEEK_SET);
  int c = fgetc(t);
  ungetc('X', t);
  fgets(buf, sizeof buf, t);
  printf("c=%c rest=%s", c, buf);
  rewind(t);
  fseek(t, 0, SEEK_END);
  printf("size=%ld\n", ftell(t));
  fclose(t);

  char mem[64] = "alpha beta gamma";
  FILE *m = fmemopen(mem, sizeof mem, "r+");
  char w[16];
  while (fscanf(m, "%15s", w) == 1) printf("word %s\n", w);
  fclose(m);
  char *out = NULL;
  size_t len = 0;
  FILE *ms = open_memstream(&out, &len);
  for (int i = 0; i < 5; i++) fprintf(ms, "%d,", i * i);
  fflush(ms);
  printf("memstream len=%zu '%s'\n", len, out);
  fclose(ms);
  free(out);

  setvbuf(stderr, NULL, _IOFBF, 256);
  fprintf(stderr, "stderr buffered\n");
  fprintf(stderr, "stderr flushed\n");
  fflush(stderr);
  setvbuf(stderr, NULL, _IONBF, 0);

  struct rlimit rl;
  getrlimit(RLIMIT_STACK, &rl);
  printf("stack soft=%llu\n", (unsigned long long)rl.rlim_cur);
  printf("pagesize=%ld clk=%ld\n", sysconf(_SC_PAGESIZE), sysconf(_SC_CLK_TCK));
  printf("getpagesize=%d pid>0=%d ppid>=0=%d\n", getpagesize(), getpid() > 0, getppid() >= 0);
  struct utsname u;
  uname(&u);
  printf("uname %s %s\n", u.sysname, u.machine);
  printf("isatty=%d,%d,%d\n", isatty(0), isatty(1), isatty(2));
  /* By name, not getuid(): qemu reports the host's uid. */
  struct passwd *pw = getpwnam("root");
  printf("root: uid=%d home=%s", pw ? (int)pw->pw_uid : -1, pw ? pw->pw_dir : "-");
  struct group *gr = getgrgid(0);
  printf(" group=%s", gr ? gr->gr_name : "-");
  printf(" unknown=%d\n", getpwnam("no-such-user-here") == NULL);

  struct sigaction sa = {0};
  sa.sa_sigaction = on_sig;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  union sigval sv = {.sival_int = 77};
  sigqueue(getpid(), SIGUSR1, sv);
  printf("sigqueue sig=%d code=%d val=%d\n", got_sig, got_code, got_val);
  raise(SIGUSR1);
  printf("raise sig=%d code=%d\n", got_sig, got_code);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, &old);
  got_sig = 0;
  raise(SIGUSR1);
  sigset_t pend;
  sigpending(&pend);
  printf("blocked: handled=%d pending=%d\n", got_sig, sigismember(&pend, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("unblocked: handled=%d\n", got_sig);
  printf("strsignal=%s\n", strsignal(SIGSEGV));

  printf("recursion=%d\n", depth(10000));

  const char *names[] = {"pear", "apple", "fig", "banana", "cherry", "date"};
  qsort(names, 6, sizeof *names, cmp);
  for (int i = 0; i < 6; i++) printf("%s%c", names[i], i == 5 ? '\n' : ' ');
  const char *key = "fig";
  const char **hit = bsearch(&key, names, 6, sizeof *names, cmp);
  printf("bsearch fig at %td\n", hit ? hit - names : -1);
  char text[] = "a,b;;c d,,e";
  char *save;
  for (char *tok = strtok_r(text, ",; ", &save); tok; tok = strtok_r(NULL, ",; ", &save)) printf("[%s]", tok);
  printf("\n");

  regex_t re;
  int rc = regcomp(&re, "([a-z]+)@([a-z]+)\\.(com|org)", REG_EXTENDED);
  const char *subj = "mail bob@example.org or eve@test.com now";
  regmatch_t mt[4];
  const char *s = subj;
  while (rc == 0 && regexec(&re, s, 4, mt, 0) == 0) {
    printf("match '%.*s' user='%.*s' tld='%.*s'\n", (int)(mt[0].rm_eo - mt[0].rm_so), s + mt[0].rm_so,
           (int)(mt[1].rm_eo - mt[1].rm_so), s + mt[1].rm_so, (int)(mt[3].rm_eo - mt[3].rm_so), s + mt[3].rm_so);
    s += mt[0].rm_eo;
  }
  regfree(&re);
  rc = regcomp(&re, "a[", REG_EXTENDED);
  char eb[128];
  regerror(rc, &re, eb, sizeof eb);
  printf("bad regex rc=%d '%s'\n", rc, eb);

  printf("stdout before exit\n");
  exit(3);
}
