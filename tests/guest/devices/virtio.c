#include "virtio.h"
#include "board.h"
#include "rt.h"

#define R(q, off) ((q)->regs[(off) / 4])

int virtio_find(uint32_t id) {
  for (int n = 0; n < 8; n++) {
    volatile uint32_t *r = VIRTIO(n);
    if (r[0] == 0x74726976 && r[1] == 2 && r[2] == id) return n;
  }
  return -1;
}

void virtio_start(struct vq *q, int slot, uint32_t features_lo, uint32_t features_hi) {
  q->regs = VIRTIO(slot);
  q->slot = slot;
  check(R(q, 0x00c) == 0x554d4551, "vendor id", 40);
  R(q, 0x070) = 0;
  R(q, 0x070) = 1;      // ACKNOWLEDGE
  R(q, 0x070) = 1 | 2;  // DRIVER
  R(q, 0x014) = 1;
  check(R(q, 0x010) & 1, "VERSION_1 offered", 41);
  R(q, 0x024) = 0;
  R(q, 0x020) = features_lo;
  R(q, 0x024) = 1;
  R(q, 0x020) = features_hi;
  R(q, 0x070) = 1 | 2 | 8;  // FEATURES_OK
  check(R(q, 0x070) & 8, "features accepted", 42);
  R(q, 0x030) = 0;
  check(R(q, 0x044) == 0, "queue not ready before setup", 43);
  check(R(q, 0x034) >= VQ_SIZE, "queue large enough", 44);
  R(q, 0x038) = VQ_SIZE;
  uint64_t d = (uint64_t)q->desc, a = (uint64_t)&q->avail, u = (uint64_t)&q->used;
  R(q, 0x080) = (uint32_t)d;
  R(q, 0x084) = (uint32_t)(d >> 32);
  R(q, 0x090) = (uint32_t)a;
  R(q, 0x094) = (uint32_t)(a >> 32);
  R(q, 0x0a0) = (uint32_t)u;
  R(q, 0x0a4) = (uint32_t)(u >> 32);
  R(q, 0x044) = 1;
  R(q, 0x070) = 1 | 2 | 8 | 4;  // DRIVER_OK
  q->seen = 0;
}

uint32_t virtio_submit(struct vq *q, int n) {
  for (int i = 0; i + 1 < n; i++) {
    q->desc[i].flags |= DESC_F_NEXT;
    q->desc[i].next = (uint16_t)(i + 1);
  }
  q->avail.ring[q->avail.idx % VQ_SIZE] = 0;
  __sync_synchronize();
  q->avail.idx++;
  __sync_synchronize();
  R(q, 0x050) = 0;  // QueueNotify
  while (*(volatile uint16_t *)&q->used.idx == q->seen) {
  }
  __sync_synchronize();
  uint32_t len = q->used.ring[q->seen % VQ_SIZE].len;
  check(q->used.ring[q->seen % VQ_SIZE].id == 0, "used id is the chain head", 45);
  q->seen++;
  // The used-buffer interrupt: InterruptStatus bit 0 and the slot's PLIC source
  // (claimed in context 0 with mstatus.MIE off, so nothing traps).
  check(R(q, 0x060) == 1, "InterruptStatus after a used buffer", 46);
  check((PLIC_PENDING[0] >> VIRTIO_IRQ(q->slot)) & 1, "virtio source pending in the PLIC", 47);
  R(q, 0x064) = 1;
  check(R(q, 0x060) == 0, "ACK clears InterruptStatus", 48);
  *PLIC_PRIORITY(VIRTIO_IRQ(q->slot)) = 1;
  PLIC_ENABLE(0)[0] = 1u << VIRTIO_IRQ(q->slot);
  check(*PLIC_CLAIM(0) == (uint32_t)VIRTIO_IRQ(q->slot), "claim the virtio source", 49);
  *PLIC_CLAIM(0) = VIRTIO_IRQ(q->slot);
  check(*PLIC_CLAIM(0) == 0, "nothing more to claim", 50);
  return len;
}
