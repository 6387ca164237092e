/*
 * console-session CMD [ARG...]: edgevm's PID 1 after init's mounts.
 *
 * It runs CMD (the shell) in a new session whose controlling terminal is the
 * console's real tty, so Ctrl-C and job control work (a shell on
 * /dev/console gets no job control). It stays PID 1, reaping orphans, and
 * when CMD exits it powers off with CMD's exit status (128 + signal when a
 * signal killed it).
 *
 * Linux's own poweroff (reboot(2) -> SBI SRST or syscon-poweroff) carries no
 * status, so the status goes to the sifive,test finisher at 0x100000, as
 * QEMU's virt board and edgevm's board define it: 0x5555 is "pass" (status
 * 0) and (CODE << 16) | 0x3333 is "fail with CODE", which QEMU and edgevm
 * both turn into their own exit status.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define FINISHER_BASE 0x100000UL
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

/* /sys/class/tty/console/active names the console's ttys, the last one
 * being /dev/console's: "ttyS0" for console=ttyS0. */
static void console_tty(char *path, size_t size)
{
	char names[128] = "";
	snprintf(path, size, "/dev/console");
	FILE *f = fopen("/sys/class/tty/console/active", "r");
	if (!f)
		return;
	if (fgets(names, sizeof names, f)) {
		names[strcspn(names, "\n")] = 0;
		char *last = strrchr(names, ' ');
		last = last ? last + 1 : names;
		if (*last)
			snprintf(path, size, "/dev/%s", last);
	}
	fclose(f);
}

static void run_in_session(char **argv)
{
	char tty[160];
	console_tty(tty, sizeof tty);
	setsid();
	int fd = open(tty, O_RDWR);
	if (fd >= 0) {
		ioctl(fd, TIOCSCTTY, 1);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	execv(argv[0], argv);
	perror(argv[0]);
	_exit(127);
}

static int wait_for(pid_t child)
{
	for (;;) {
		int status;
		pid_t pid = wait(&status);
		if (pid < 0)
			return 127;
		if (pid != child)
			continue; /* an orphan, reparented to us */
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
	}
}

/* The 8250 driver sends from a ring buffer: wait until it has sent all. */
static void drain_console(void)
{
	int fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (fd >= 0) {
		tcdrain(fd);
		close(fd);
	}
}

static void write_finisher(uint32_t value)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0)
		return;
	volatile uint32_t *reg = mmap(0, 4096, PROT_READ | PROT_WRITE,
				      MAP_SHARED, fd, FINISHER_BASE);
	if (reg != MAP_FAILED)
		*reg = value;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: console-session CMD [ARG...]\n");
		return 2;
	}
	pid_t child = fork();
	if (child == 0)
		run_in_session(argv + 1);
	unsigned code = child < 0 ? 127 : (unsigned)wait_for(child);
	sync();
	drain_console();
	write_finisher(code == 0 ? FINISHER_PASS : (code << 16) | FINISHER_FAIL);
	/* no finisher: an ordinary poweroff, without the status */
	reboot(RB_POWER_OFF);
	return 1;
}
