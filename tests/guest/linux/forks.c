// fork and wait as a systems course teaches them: a child that exits with a
// code, several children reaped by pid, a pipe from child to parent, a child
// killed by a signal, getppid, WNOHANG and ECHILD. Only relationships are
// printed, never pid numbers (under qemu they are the host's).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void one_child(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    printf("child: hello from the child\n");
    fflush(stdout);
    _exit(42);
  }
  int status = 0;
  pid_t got = waitpid(pid, &status, 0);
  printf("parent: waited for the child: %s, exited %d, code %d\n", got == pid ? "same pid" : "other pid",
         WIFEXITED(status), WEXITSTATUS(status));
}

static void several(void) {
  enum { N = 4 };
  pid_t pids[N];
  for (int i = 0; i < N; i++) {
    fflush(stdout);
    pids[i] = fork();
    if (pids[i] == 0) exit(10 + i);
  }
  for (int i = 0; i < N; i++) {
    int status = 0;
    pid_t got = waitpid(pids[i], &status, 0);
    printf("reaped child %d: %s, code %d\n", i, got == pids[i] ? "right pid" : "wrong pid", WEXITSTATUS(status));
  }
  int status;
  errno = 0;
  pid_t none = wait(&status);
  printf("wait with no children: %d, %s\n", (int)none, errno == ECHILD ? "ECHILD" : strerror(errno));
}

static void piped(void) {
  int fds[2];
  if (pipe(fds) != 0) {
    perror("pipe");
    return;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    for (int i = 0; i < 3; i++) {
      char line[64];
      int n = snprintf(line, sizeof line, "line %d from the child\n", i);
      write(fds[1], line, n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  char buf[256];
  size_t total = 0;
  for (;;) {
    ssize_t n = read(fds[0], buf + total, sizeof buf - 1 - total);
    if (n <= 0) break;
    total += n;
  }
  buf[total] = 0;
  close(fds[0]);
  int status;
  waitpid(pid, &status, 0);
  printf("parent read %zu bytes through the pipe until EOF:\n%s", total, buf);
  printf("pipe child exited %d\n", WEXITSTATUS(status));
}

static void killed(void) {
  int ready[2];
  pipe(ready);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    write(ready[1], "r", 1);
    for (;;) pause();
  }
  close(ready[1]);
  char c;
  read(ready[0], &c, 1);
  close(ready[0]);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  printf("killed child: signaled %d, signal %s, exited %d\n", WIFSIGNALED(status),
         WTERMSIG(status) == SIGTERM ? "SIGTERM" : "other", WIFEXITED(status));
}

static void parentage(void) {
  int fds[2];
  pipe(fds);
  pid_t me = getpid();
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    char r = getppid() == me ? 'y' : 'n';
    char s = getpid() != me ? 'y' : 'n';
    write(fds[1], &r, 1);
    write(fds[1], &s, 1);
    _exit(0);
  }
  close(fds[1]);
  char answer[2] = {0, 0};
  read(fds[0], &answer[0], 1);
  read(fds[0], &answer[1], 1);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  printf("child's getppid is the parent's getpid: %c; child has its own pid: %c\n", answer[0], answer[1]);
}

static void nohang(void) {
  int go[2];
  pipe(go);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(go[1]);
    char c;
    read(go[0], &c, 1);
    _exit(7);
  }
  close(go[0]);
  int status;
  pid_t early = waitpid(pid, &status, WNOHANG);
  printf("WNOHANG while the child waits: %d\n", (int)early);
  close(go[1]);
  pid_t late = waitpid(pid, &status, 0);
  printf("after EOF the child exits: %s, code %d\n", late == pid ? "reaped" : "not reaped", WEXITSTATUS(status));
}

static void memory(void) {
  int *counter = malloc(sizeof *counter);
  *counter = 1;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    *counter = 99;
    _exit(*counter == 99 ? 0 : 1);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("the child's write stays in the child: parent sees %d, child exit %d\n", *counter, WEXITSTATUS(status));
  free(counter);
}

static volatile sig_atomic_t chld_count;
static volatile int chld_code;

static void on_chld(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  chld_count++;
  chld_code = info->si_code == CLD_EXITED ? info->si_status : -1;
}

static void sigchld(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGCHLD, &sa, NULL);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(5);
  int status;
  pid_t got = waitpid(pid, &status, 0);
  printf("SIGCHLD handler ran %d time(s) before waitpid returned %s; si_status %d, code %d\n", (int)chld_count,
         got == pid ? "the child" : "something else", chld_code, WEXITSTATUS(status));
  signal(SIGCHLD, SIG_DFL);
}

static void shell(void) {
  fflush(stdout);
  int r = system("true");
  printf("system without a shell: %s\n", r == -1 ? "-1" : WIFEXITED(r) ? "exited" : "other");
}

int main(void) {
  one_child();
  several();
  piped();
  killed();
  parentage();
  nohang();
  memory();
  sigchld();
  shell();
  printf("done\n");
  return 0;
}
