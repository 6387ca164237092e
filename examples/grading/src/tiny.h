// A few Linux system calls and a _start for static riscv64 programs without
// a C library: the example course's programs stay a few KiB, where a static
// glibc program is half a megabyte. Syscall numbers: the generic table
// (include/uapi/asm-generic/unistd.h), which riscv64 uses.
#pragma once

#define SYS_openat 56
#define SYS_close 57
#define SYS_read 63
#define SYS_write 64
#define SYS_exit_group 94
#define AT_FDCWD -100
#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000

static long syscall3(long n, long a, long b, long c) {
  register long a7 __asm__("a7") = n;
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
  return a0;
}

static long sys_read(int fd, void *buf, long n) { return syscall3(SYS_read, fd, (long)buf, n); }
static long sys_write(int fd, const void *buf, long n) { return syscall3(SYS_write, fd, (long)buf, n); }
static long sys_open_write(const char *path) {
  register long a3 __asm__("a3") = 0644;
  register long a7 __asm__("a7") = SYS_openat;
  register long a0 __asm__("a0") = AT_FDCWD;
  register long a1 __asm__("a1") = (long)path;
  register long a2 __asm__("a2") = O_WRONLY | O_CREAT | O_TRUNC;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3) : "memory");
  return a0;
}
static void sys_close(int fd) { syscall3(SYS_close, fd, 0, 0); }
static void sys_exit(int code) {
  syscall3(SYS_exit_group, code, 0, 0);
  for (;;) {}
}

static long str_len(const char *s) {
  long n = 0;
  while (s[n]) n++;
  return n;
}
static int str_eq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
static void put_str(int fd, const char *s) { sys_write(fd, s, str_len(s)); }

/** The decimal text of v into buf (at least 21 bytes); returns its length. */
static int format_long(long v, char *buf) {
  char tmp[24];
  int n = 0, len = 0;
  unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
  do tmp[n++] = '0' + u % 10; while ((u /= 10) != 0);
  if (v < 0) buf[len++] = '-';
  while (n > 0) buf[len++] = tmp[--n];
  return len;
}

int main(int argc, char **argv);

// The kernel starts a process with sp at argc, then argv[] (System V ABI, "Process Initialization").
void start_c(long *sp) { sys_exit(main((int)sp[0], (char **)(sp + 1))); }
__asm__(".globl _start\n_start:\n  mv a0, sp\n  call start_c\n");
