// Memory mappings: anonymous mmap, partial munmap, mprotect, MAP_FIXED over
// an existing mapping, mremap growth that keeps the contents, MADV_DONTNEED,
// a read-only file mapping, a large PROT_NONE reservation, brk through sbrk,
// and the errno of invalid requests. A SIGSEGV handler checks that a write to
// a read-only page faults, and at which address.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf recover;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  fault_addr = info->si_addr;
  fault_code = info->si_code;
  siglongjmp(recover, 1);
}

static int writes(volatile char *p) {
  if (sigsetjmp(recover, 1)) return 0;
  *p = 1;
  return 1;
}

static uint64_t sum(const unsigned char *p, size_t n) {
  uint64_t s = 0;
  for (size_t i = 0; i < n; i++) s += p[i] * (i % 251 + 1);
  return s;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);

  unsigned char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmap 16 pages: %s, aligned %d, zero-filled %d\n", p == MAP_FAILED ? "failed" : "ok", ((uintptr_t)p % PAGE) == 0,
         sum(p, 16 * PAGE) == 0);
  for (int i = 0; i < 16 * PAGE; i++) p[i] = (unsigned char)(i * 7);
  printf("pattern sum %llu\n", (unsigned long long)sum(p, 16 * PAGE));
  printf("munmap pages 4-7: %d\n", munmap(p + 4 * PAGE, 4 * PAGE));
  printf("write to unmapped page: %s, si_addr matches %d, SEGV_MAPERR %d\n", writes((char *)p + 5 * PAGE) ? "succeeded" : "SIGSEGV",
         fault_addr == p + 5 * PAGE, fault_code == SEGV_MAPERR);
  printf("pages 8-15 intact: %llu\n", (unsigned long long)sum(p + 8 * PAGE, 8 * PAGE));
  printf("mprotect page 0 read-only: %d\n", mprotect(p, PAGE, PROT_READ));
  printf("read it: %u; write it: %s, SEGV_ACCERR %d\n", p[100], writes((char *)p + 100) ? "succeeded" : "SIGSEGV",
         fault_code == SEGV_ACCERR);
  printf("mprotect back to read-write: %d, write: %s\n", mprotect(p, PAGE, PROT_READ | PROT_WRITE),
         writes((char *)p + 100) ? "ok" : "SIGSEGV");

  unsigned char *fixed = mmap(p + 8 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf("MAP_FIXED over pages 8-9: same address %d, now zero %d, page 10 kept %d\n", fixed == p + 8 * PAGE,
         sum(fixed, 2 * PAGE) == 0, p[10 * PAGE + 1] == (unsigned char)((10 * PAGE + 1) * 7));
  // (MAP_FIXED_NOREPLACE is left to the unit tests: qemu-riscv64 7.2 maps over the old mapping.)

  unsigned char *r = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < 3 * PAGE; i++) r[i] = (unsigned char)(i ^ 0x5a);
  uint64_t before = sum(r, 3 * PAGE);
  unsigned char *grown = mremap(r, 3 * PAGE, 300 * PAGE, MREMAP_MAYMOVE);
  printf("mremap to 300 pages: %s, contents kept %d, new part zero %d\n", grown == MAP_FAILED ? "failed" : "ok",
         sum(grown, 3 * PAGE) == before, sum(grown + 3 * PAGE, 297 * PAGE) == 0);
  grown[299 * PAGE] = 9;
  uint64_t first = sum(grown, PAGE);
  unsigned char *shrunk = mremap(grown, 300 * PAGE, PAGE, 0);
  printf("mremap shrink in place: %d, first page kept %d\n", shrunk == grown, sum(shrunk, PAGE) == first);
  memset(shrunk, 0xab, PAGE);
  printf("madvise DONTNEED: %d, reads zero again %d\n", madvise(shrunk, PAGE, MADV_DONTNEED), shrunk[17] == 0);
  munmap(shrunk, PAGE);

  char name[] = "/tmp/edgevm-mmap-XXXXXX";
  int fd = mkstemp(name);
  char text[6000];
  for (int i = 0; i < 6000; i++) text[i] = (char)('a' + i % 26);
  write(fd, text, sizeof text);
  char *file = mmap(NULL, 6000, PROT_READ, MAP_PRIVATE, fd, 0);
  printf("file mapping: %s, byte 0 '%c', byte 5999 '%c', past EOF zero %d\n", file == MAP_FAILED ? strerror(errno) : "ok",
         file[0], file[5999], file[6000] == 0 && file[8191] == 0);
  char *second = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
  printf("at offset 4096: '%c'\n", second[0]);
  munmap(file, 6000);
  munmap(second, PAGE);
  close(fd);
  unlink(name);

  void *reserve = mmap(NULL, (size_t)1 << 32, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  printf("4 GiB PROT_NONE reservation: %s\n", reserve == MAP_FAILED ? strerror(errno) : "ok");
  if (reserve != MAP_FAILED) {
    printf("touching it: %s\n", writes(reserve) ? "succeeded?!" : "SIGSEGV");
    char *window = (char *)reserve + ((size_t)1 << 31);
    printf("mprotect a window: %d, write: %s\n", mprotect(window, 2 * PAGE, PROT_READ | PROT_WRITE), writes(window + PAGE) ? "ok" : "SIGSEGV");
    munmap(reserve, (size_t)1 << 32);
  }
  void *ro = mmap(NULL, 64 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("read-only anonymous memory reads zero: %d\n", sum(ro, 64 * PAGE) == 0);

  char *brk0 = sbrk(0);
  char *b = sbrk(100000);
  memset(b, 7, 100000);
  char *brk1 = sbrk(0);
  printf("sbrk: grew by %ld, old break returned %d\n", (long)(brk1 - brk0), b == brk0);
  sbrk(-50000);
  printf("sbrk shrink: %ld\n", (long)((char *)sbrk(0) - brk0));

  errno = 0;
  printf("mmap length 0: %s\n", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? strerror(errno) : "ok?!");
  printf("mmap bad fd: %s\n", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 12345, 0) == MAP_FAILED ? strerror(errno) : "ok?!");
  printf("munmap unaligned: %s\n", munmap(p + 1, PAGE) ? strerror(errno) : "ok?!");
  printf("mprotect unmapped: %s\n", mprotect(p + 5 * PAGE, PAGE, PROT_READ) ? strerror(errno) : "ok?!");
  printf("mmap 1 TiB: %s\n", mmap(NULL, (size_t)1 << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? strerror(errno) : "ok?!");
  return 0;
}
