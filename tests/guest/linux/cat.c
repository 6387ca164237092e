// cat: copies each file named in argv (or stdin) to stdout through read(2)
// and write(2), in 64 KiB chunks; a file that cannot be opened is reported on
// stderr and makes the exit status 1. The CLI tests use it to check --file,
// --stdin and piping edgevm's own stdin.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

static int copy(int fd) {
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return n < 0 ? -1 : 0;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(1, buf + done, (size_t)(n - done));
      if (w < 0) return -1;
      done += w;
    }
  }
}

static void say(const char *s) { write(2, s, strlen(s)); }

int main(int argc, char **argv) {
  if (argc < 2) return copy(0) ? 1 : 0;
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0 || copy(fd) < 0) {
      const char *why = strerror(errno);
      say("cat: ");
      say(argv[i]);
      say(": ");
      say(why);
      say("\n");
      status = 1;
    }
    if (fd >= 0) close(fd);
  }
  return status;
}
