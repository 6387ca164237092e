// A static-pie (ET_DYN) program without libc: Debian's cross glibc has no
// rcrt1.o, so this is the static-pie the toolchain can build. _start reads
// argc from the initial stack, writes a line and exits with argc, all through
// ecall; code and data are reached PC-relative, so it needs no relocations.
__asm__(
    ".globl _start\n"
    "_start:\n"
    "  ld a0, 0(sp)\n"
    "  addi a1, sp, 8\n"
    "  call pie_main\n");

static long syscall3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

static const char message[] = "static-pie: loaded and running\n";

__attribute__((noreturn, used)) void pie_main(long argc, char **argv) {
  (void)argv;
  syscall3(64, 1, (long)message, sizeof message - 1);
  syscall3(94, argc, 0, 0);
  __builtin_unreachable();
}
