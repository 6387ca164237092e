// virtio-blk through virtio.c: the device id and capacity, GET_ID, a read
// of sector 0 (the test's image starts with a text line), a write of sector
// 1, a flush, the sector read back, and a read past the end (IOERR).
#include "board.h"
#include "rt.h"
#include "virtio.h"

struct blk_req {
  uint32_t type, reserved;
  uint64_t sector;
};

static struct vq q;
static struct blk_req req;
static uint8_t data[512] __attribute__((aligned(16)));
static volatile uint8_t status;

static uint8_t request(uint32_t type, uint64_t sector, int len, int device_writes) {
  req.type = type;
  req.reserved = 0;
  req.sector = sector;
  status = 0xff;
  q.desc[0] = (struct vq_desc){(uint64_t)&req, sizeof req, 0, 0};
  int n = 1;
  if (len > 0) q.desc[n++] = (struct vq_desc){(uint64_t)data, (uint32_t)len, device_writes ? DESC_F_WRITE : 0, 0};
  q.desc[n++] = (struct vq_desc){(uint64_t)&status, 1, DESC_F_WRITE, 0};
  virtio_submit(&q, n);
  return status;
}

static void print_text(const uint8_t *p, int n) {
  for (int i = 0; i < n && p[i] >= ' ' && p[i] < 127; i++) rt_putc((char)p[i]);
}

int main(void) {
  int slot = virtio_find(2);
  check(slot >= 0, "a virtio-blk device", 1);
  virtio_start(&q, slot, 1u << 9 /* FLUSH */, 1 /* VERSION_1 */);
  uint64_t capacity = *(volatile uint64_t *)((uintptr_t)VIRTIO(slot) + 0x100);
  rt_puts("slot ");
  rt_put_u64((uint64_t)slot);
  rt_puts(" capacity ");
  rt_put_u64(capacity);
  rt_puts("\n");

  check(request(8, 0, 20, 1) == 0, "GET_ID", 2);
  rt_puts("id ");
  print_text(data, 20);
  rt_puts("\n");

  check(request(0, 0, 512, 1) == 0, "read sector 0", 3);
  rt_puts("sector 0: ");
  print_text(data, 64);
  rt_puts("\n");

  const char *msg = "written by blk.elf";
  for (int i = 0; i < 512; i++) data[i] = (uint8_t)i;
  for (int i = 0; msg[i]; i++) data[i] = (uint8_t)msg[i];
  check(request(1, 1, 512, 0) == 0, "write sector 1", 4);
  check(request(4, 0, 0, 0) == 0, "flush", 5);
  for (int i = 0; i < 512; i++) data[i] = 0;
  check(request(0, 1, 512, 1) == 0, "read sector 1 back", 6);
  for (int i = 18; i < 512; i++) check(data[i] == (uint8_t)i, "sector 1 content", 7);
  rt_puts("sector 1: ");
  print_text(data, 64);
  rt_puts("\n");

  check(request(0, capacity, 512, 1) == 1, "a read past the end fails with IOERR", 8);
  check(request(99, 0, 0, 0) == 2, "an unknown request is UNSUPP", 9);
  rt_puts("blk ok\n");
  poweroff(0);
}
