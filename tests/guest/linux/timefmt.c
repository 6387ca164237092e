/* Time formatting of fixed timestamps: gmtime/localtime/strftime/mktime/timegm
 * with the environment's TZ: UTC (a zone file glibc loads) and a POSIX rule
 * (parsed; no file has its name). Never with TZ unset: glibc would read
 * /etc/localtime, under qemu the host's. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void show(const char *label, const struct tm *tm) {
  char buf[256];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %b %j %U %W %u %w %p %y %C %e %G %V %Z %z", tm);
  printf("%-10s %s isdst=%d yday=%d\n", label, buf, tm->tm_isdst, tm->tm_yday);
}

int main(void) {
  const time_t stamps[] = {0, 86399, 951782400, 1000000000, 1234567890, 1700000000, 2147483647, 4102444800LL, -1, -86400 * 365};
  for (size_t i = 0; i < sizeof stamps / sizeof *stamps; i++) {
    struct tm g, l;
    gmtime_r(&stamps[i], &g);
    localtime_r(&stamps[i], &l);
    printf("t=%lld\n", (long long)stamps[i]);
    show("gmtime", &g);
    show("localtime", &l);
    printf("  timegm=%lld mktime=%lld\n", (long long)timegm(&g), (long long)mktime(&l));
    char buf[64];
    printf("  asctime=%s", asctime_r(&g, buf));
  }
  struct tm tm = {0};
  tm.tm_year = 2024 - 1900;
  tm.tm_mon = 1;
  tm.tm_mday = 29 + 1; /* normalized to March 1st */
  tm.tm_hour = 25;
  tm.tm_isdst = -1;
  time_t t = mktime(&tm);
  char buf[128];
  strftime(buf, sizeof buf, "%F %T %A %B %D %R %r %c %x %X", &tm);
  printf("normalized %lld %s\n", (long long)t, buf);
  memset(&tm, 0, sizeof tm);
  const char *rest = strptime("2023-07-14 09:08:07", "%Y-%m-%d %H:%M:%S", &tm);
  printf("strptime rest='%s' %d-%d-%d %d:%d:%d wday=%d\n", rest ? rest : "(null)", tm.tm_year + 1900, tm.tm_mon + 1,
         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday);
  printf("difftime=%.1f\n", difftime(1700000000, 1600000000));
  tzset();
  printf("tzname=%s/%s timezone=%ld daylight=%d\n", tzname[0], tzname[1], timezone, daylight);
  time_t now = time(NULL);
  printf("time() positive: %d\n", now > 1000000000);
  struct timespec ts;
  printf("clock_gettime: %d %d\n", clock_gettime(CLOCK_REALTIME, &ts), clock_gettime(CLOCK_MONOTONIC, &ts));
  printf("clock() sane: %d\n", clock() >= 0);
  /* The coarse clocks' resolution is the host kernel's tick under qemu: left out. */
  const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_BOOTTIME};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
    struct timespec res = {-1, -1};
    int rc = clock_getres(ids[i], &res);
    printf("clock_getres(%d)=%d %lld.%09ld\n", (int)ids[i], rc, (long long)res.tv_sec, res.tv_nsec);
  }
  return 0;
}
