// Ways a process ends, chosen by argv[1]: exit codes (also above 255),
// return from main, atexit handlers, _exit losing buffered output, abort,
// a failed assert, SIGSEGV, raise, signal handlers that return, and
// SIGALRM from alarm() and setitimer() (handled, then deadly). The
// differential test checks the status a shell would see (128+N for signal N).
#include <assert.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static void first(void) { printf("atexit: first registered, runs last\n"); }
static void second(void) { printf("atexit: second registered, runs first\n"); }

static volatile sig_atomic_t caught;
static void handler(int sig) { caught = sig; }

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "return";
  printf("mode %s\n", mode);
  if (!strcmp(mode, "return")) return 3;
  if (!strcmp(mode, "exit")) exit(argc > 2 ? atoi(argv[2]) : 0);
  if (!strcmp(mode, "atexit")) {
    atexit(first);
    atexit(second);
    exit(4);
  }
  if (!strcmp(mode, "_exit")) {
    printf("buffered, never flushed: stdout is a pipe\n");
    _exit(5);
  }
  if (!strcmp(mode, "abort")) {
    fflush(stdout);
    abort();
  }
  if (!strcmp(mode, "assert")) {
    fflush(stdout);
    assert(argc == 99 && "argc is never 99");
  }
  if (!strcmp(mode, "segv")) {
    fflush(stdout);
    volatile uintptr_t address = 16;
    return *(volatile int *)address;
  }
  if (!strcmp(mode, "raise")) {
    fflush(stdout);
    raise(SIGTERM);
    printf("not reached\n");
  }
  if (!strcmp(mode, "handled")) {
    signal(SIGUSR1, handler);
    raise(SIGUSR1);
    printf("handler saw signal %d\n", caught);
    signal(SIGINT, SIG_IGN);
    raise(SIGINT);
    printf("SIGINT ignored\n");
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGUSR2, handler);
    raise(SIGUSR2);
    printf("SIGUSR2 blocked, pending %d, caught %d\n", sigpending(&set) == 0 && sigismember(&set, SIGUSR2), caught);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("unblocked: caught %d\n", caught);
    return 0;
  }
  if (!strcmp(mode, "alarm")) {
    signal(SIGALRM, handler);
    alarm(1);
    pause();
    printf("pause returned after signal %d\n", caught);
    caught = 0;
    struct itimerval t = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &t, NULL);
    unsigned long spins = 0;
    while (!caught) spins++;
    printf("busy loop interrupted by signal %d after some spins: %d\n", caught, spins > 0);
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    fflush(stdout);
    for (;;) pause();
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}
