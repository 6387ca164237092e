// Signals and cancellation with threads: pthread_kill runs a handler in the
// thread it names, a thread waits for signals with sigwait while the others
// block them, SIGALRM interrupts the main thread's join, pthread_cancel ends
// threads blocked in cancellation points (a condition variable, a sleep, a
// pipe read) and runs their cleanup handlers. Variants: a thread's SIGSEGV
// (segv) and a SIGTERM sent to a thread (term) end the whole process.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static pthread_t target;
static atomic_int handled_in_target, handled_elsewhere;

static void on_usr1(int sig) {
  (void)sig;
  if (pthread_equal(pthread_self(), target)) handled_in_target++;
  else handled_elsewhere++;
}

static atomic_int stop_spinning;

static void *spinner(void *arg) {
  (void)arg;
  while (!stop_spinning) {
  }
  return NULL;
}

static void thread_directed(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  pthread_create(&target, NULL, spinner, NULL);
  for (int i = 0; i < 3; i++) {
    pthread_kill(target, SIGUSR1);
    while (handled_in_target + handled_elsewhere <= i) sched_yield();
  }
  stop_spinning = 1;
  pthread_join(target, NULL);
  printf("pthread_kill: %d handled in the target, %d elsewhere\n", (int)handled_in_target, (int)handled_elsewhere);
}

static sigset_t waited;
static atomic_int received[3];

static void *signal_thread(void *arg) {
  (void)arg;
  for (;;) {
    int sig;
    if (sigwait(&waited, &sig) != 0) return (void *)1;
    if (sig == SIGUSR2) received[0]++;
    if (sig == SIGHUP) received[1]++;
    if (sig == SIGTERM) {
      received[2]++;
      return NULL;
    }
  }
}

static void dedicated_signal_thread(void) {
  sigemptyset(&waited);
  sigaddset(&waited, SIGUSR2);
  sigaddset(&waited, SIGHUP);
  sigaddset(&waited, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &waited, NULL);
  pthread_t t;
  pthread_create(&t, NULL, signal_thread, NULL);
  for (int i = 0; i < 4; i++) {
    kill(getpid(), i % 2 ? SIGHUP : SIGUSR2);
    while (received[0] + received[1] <= i) sched_yield();
  }
  kill(getpid(), SIGTERM);
  pthread_join(t, NULL);
  printf("sigwait: %d SIGUSR2, %d SIGHUP, %d SIGTERM\n", (int)received[0], (int)received[1], (int)received[2]);
  siginfo_t info;
  struct timespec none = {0, 1000000};
  int r = sigtimedwait(&waited, &info, &none);
  printf("sigtimedwait with nothing pending: %d (%s)\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
  raise(SIGHUP);
  r = sigtimedwait(&waited, &info, &none);
  printf("sigtimedwait with SIGHUP pending: %s, si_code SI_TKILL %d\n", r == SIGHUP ? "SIGHUP" : "?", info.si_code == SI_TKILL);
  pthread_sigmask(SIG_UNBLOCK, &waited, NULL);
}

static atomic_int alarm_rang;
static void on_alarm(int sig) {
  (void)sig;
  alarm_rang = 1;
}

static void *wait_for_alarm(void *arg) {
  (void)arg;
  while (!alarm_rang) {
  }
  return NULL;
}

static void alarm_during_join(void) {
  signal(SIGALRM, on_alarm);
  pthread_t t;
  pthread_create(&t, NULL, wait_for_alarm, NULL);
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  pthread_join(t, NULL);
  printf("SIGALRM during pthread_join: handled %d\n", (int)alarm_rang);
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static atomic_int cleanups;
static int fds[2];

static void cleanup(void *what) {
  (void)what;
  cleanups++;
}

static void unlock(void *mutex) {
  pthread_mutex_unlock(mutex);
  cleanups++;
}

static void *in_cond_wait(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  pthread_cleanup_push(unlock, &m);
  for (;;) pthread_cond_wait(&never, &m);
  pthread_cleanup_pop(0);
  return NULL;
}

static void *in_sleep(void *arg) {
  (void)arg;
  pthread_cleanup_push(cleanup, NULL);
  sleep(1000);
  pthread_cleanup_pop(0);
  return NULL;
}

static void *in_read(void *arg) {
  (void)arg;
  char c;
  pthread_cleanup_push(cleanup, NULL);
  read(fds[0], &c, 1);
  pthread_cleanup_pop(0);
  return NULL;
}

static void *in_loop(void *arg) {
  (void)arg;
  pthread_cleanup_push(cleanup, NULL);
  for (;;) pthread_testcancel();
  pthread_cleanup_pop(0);
  return NULL;
}

static void cancellation(void) {
  pipe(fds);
  void *(*bodies[])(void *) = {in_cond_wait, in_sleep, in_read, in_loop};
  const char *names[] = {"cond_wait", "sleep", "read", "testcancel"};
  for (int i = 0; i < 4; i++) {
    pthread_t t;
    pthread_create(&t, NULL, bodies[i], NULL);
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
    pthread_cancel(t);
    void *ret;
    pthread_join(t, &ret);
    printf("cancelled in %s: %s\n", names[i], ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "not cancelled");
  }
  printf("cleanup handlers run: %d; mutex free again: %s\n", (int)cleanups, pthread_mutex_trylock(&m) == 0 ? "yes" : "no");
}

static void *crash(void *arg) {
  (void)arg;
  fprintf(stderr, "a thread dereferences NULL\n");
  return (void *)(long)*(volatile int *)0;
}

static void *idle(void *arg) {
  for (;;) pause();
  return arg;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "segv") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, crash, NULL);
    pthread_join(t, NULL);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "term") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, idle, NULL);
    fprintf(stderr, "SIGTERM to a thread ends the process\n");
    pthread_kill(t, SIGTERM);
    pthread_join(t, NULL);
    return 0;
  }
  thread_directed();
  dedicated_signal_thread();
  alarm_during_join();
  cancellation();
  return 0;
}
