// A very small virtio-mmio (version 2) split-queue driver for the device
// test guests: one queue of 8 descriptors, polled, requests one at a time.
#ifndef EDGEVM_VIRTIO_H
#define EDGEVM_VIRTIO_H
#include <stdint.h>

#define VQ_SIZE 8
#define DESC_F_NEXT 1
#define DESC_F_WRITE 2

struct vq_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

struct vq {
  volatile uint32_t *regs;
  int slot;
  struct vq_desc desc[VQ_SIZE] __attribute__((aligned(16)));
  struct {
    uint16_t flags, idx, ring[VQ_SIZE], used_event;
  } avail __attribute__((aligned(2)));
  struct {
    uint16_t flags, idx;
    struct {
      uint32_t id, len;
    } ring[VQ_SIZE];
    uint16_t avail_event;
  } used __attribute__((aligned(4)));
  uint16_t seen;
};

// Finds the first slot with device `id`; -1 when none.
int virtio_find(uint32_t id);
// Resets and initialises the device at `slot` with `features` (low and high words), queue 0 set up.
void virtio_start(struct vq *q, int slot, uint32_t features_lo, uint32_t features_hi);
// Submits the chain desc[0..n) and waits for the device; returns the used length.
uint32_t virtio_submit(struct vq *q, int n);
#endif
