// System interfaces whose exact values differ between hosts, checked by
// property rather than printed: clocks move forward and sleeps advance them,
// randomness arrives, identities are consistent; plus values Linux fixes for
// riscv64 (page size, uname machine, auxv) and the errno of bad calls.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
  printf("page size %ld, getpagesize %d, AT_PAGESZ %lu\n", sysconf(_SC_PAGESIZE), getpagesize(), getauxval(AT_PAGESZ));
  printf("AT_HWCAP %#lx (rv64 I M A F D C), AT_CLKTCK %lu, AT_SECURE %lu, AT_RANDOM set %d\n", getauxval(AT_HWCAP),
         getauxval(AT_CLKTCK), getauxval(AT_SECURE), getauxval(AT_RANDOM) != 0);
  const char *execfn = (const char *)getauxval(AT_EXECFN);
  printf("AT_EXECFN ends with /misc: %d\n", execfn && strlen(execfn) >= 5 && !strcmp(execfn + strlen(execfn) - 5, "/misc"));
  struct utsname u;
  uname(&u);
  printf("uname: sysname %s, machine %s\n", u.sysname, u.machine);

  long long m0 = ns(CLOCK_MONOTONIC), r0 = ns(CLOCK_REALTIME);
  volatile double x = 1;
  for (int i = 0; i < 100000; i++) x = x * 1.0000001;
  long long m1 = ns(CLOCK_MONOTONIC);
  struct timespec req = {0, 20 * 1000 * 1000};
  int slept = nanosleep(&req, NULL);
  long long m2 = ns(CLOCK_MONOTONIC);
  printf("monotonic advances %d, nanosleep %d, slept at least 20 ms %d\n", m1 > m0, slept, m2 - m1 >= 20000000LL);
  printf("realtime after 2020 %d, time() agrees %d\n", r0 > 1577836800LL * 1000000000LL, labs(time(NULL) - r0 / 1000000000LL) <= 2);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday agrees %d, usec in range %d\n", labs(tv.tv_sec - r0 / 1000000000LL) <= 2, tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  struct timespec res;
  printf("clock_getres ok %d, cpu time positive %d, bad clock %s\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0,
         ns(CLOCK_PROCESS_CPUTIME_ID) > 0, clock_gettime(12345, &res) ? strerror(errno) : "ok?!");
  printf("clock() ticks %d\n", clock() >= 0);

  unsigned char buf[64];
  memset(buf, 0, sizeof buf);
  ssize_t got = getrandom(buf, sizeof buf, 0);
  int nonzero = 0;
  for (int i = 0; i < 64; i++) nonzero += buf[i] != 0;
  printf("getrandom %zd bytes, mostly non-zero %d\n", got, nonzero > 48);
  int fd = open("/dev/urandom", O_RDONLY);
  printf("/dev/urandom read %zd\n", read(fd, buf, 32));
  close(fd);

  printf("pid consistent %d, ppid positive %d, gettid == pid %d\n", getpid() == getpid(), getppid() > 0,
         (pid_t)syscall(SYS_gettid) == getpid());
  printf("uid == euid %d, gid == egid %d\n", getuid() == geteuid(), getgid() == getegid());
  int t0 = isatty(0), t1 = isatty(1), t2 = isatty(2);
  printf("isatty: %d %d %d (%s)\n", t0, t1, t2, strerror(errno));
  printf("sched_yield %d, cpus online %d\n", sched_yield(), get_nprocs() >= 1);
  struct sysinfo si;
  printf("sysinfo %d, totalram positive %d, mem_unit %d\n", sysinfo(&si), si.totalram > 0, si.mem_unit > 0);
  struct rlimit rl;
  printf("getrlimit(RLIMIT_STACK) %d, positive %d\n", getrlimit(RLIMIT_STACK, &rl), rl.rlim_cur > 0);
  char cwd[4096];
  printf("getcwd absolute %d\n", getcwd(cwd, sizeof cwd) && cwd[0] == '/');
  struct rusage ru;
  printf("getrusage %d\n", getrusage(RUSAGE_SELF, &ru));

  // Each call first, then its errno: argument evaluation order is unspecified.
  void *volatile null = NULL;
  ssize_t r = write(1, null, 5);
  printf("write(1, NULL, 5): %zd %s\n", r, strerror(errno));
  r = read(-1, buf, 1);
  printf("read(-1): %zd %s\n", r, strerror(errno));
  long l = syscall(9999);
  printf("syscall 9999: %ld %s\n", l, strerror(errno));
  int p[2];
  pipe(p);
  long long off = lseek(p[0], 0, SEEK_SET);
  printf("lseek on a pipe: %lld %s\n", off, strerror(errno));
  int n = nanosleep(&(struct timespec){0, 2000000000L}, NULL);
  printf("nanosleep bad nsec: %d %s\n", n, strerror(errno));
  return 0;
}
