// Fixed addresses in the wasm linear memory. Constants (not globals) so that
// register and TLB accesses in the hot loop compile to a load with an
// immediate offset. AssemblyScript's own static data sits below REGION_BASE.

export const REGION_BASE: usize = 0x10_0000;

// Integer registers x0..x31 plus a write sink at index 32: the decoder maps
// rd = x0 to the sink so the hot loop never tests for x0.
export const XREGS: usize = REGION_BASE;
export const X_SINK: u32 = 32;
// Floating-point registers f0..f31 as raw 64-bit patterns (singles NaN-boxed).
export const FREGS: usize = REGION_BASE + 0x200;

// Software TLBs: 2048 direct-mapped entries each of { tag: u64, addend: u64 }
// (8 MiB of reach, enough for the working sets of most jobs).
// tag = virtual page address, or 1 (never equal to a page address) when empty;
// addend = host address - virtual address for the page.
export const TLB_ENTRIES: u32 = 2048;
export const TLB_READ: usize = REGION_BASE + 0xB_0000;
export const TLB_WRITE: usize = REGION_BASE + 0xB_8000;
export const TLB_FETCH: usize = REGION_BASE + 0xC_0000;
export const TLB_EMPTY: u64 = 1;
// Addresses of the TLB entries filled since the last flush, so that a flush
// (every privilege change) costs what was used rather than all 6144 entries.
export const TLB_LOG: usize = REGION_BASE + 0x7000;
export const TLB_LOG_SIZE: u32 = 1024;

// Scratch space of the run loop: offsets of a block being decoded (2048 x u16),
// and two entries for executing an instruction that straddles a page.
export const BLOCK_SCRATCH: usize = REGION_BASE + 0x5000;
export const STRADDLE_SCRATCH: usize = REGION_BASE + 0x6000;

// The machine state record of state.ts (saveState/loadState).
export const STATE_BUFFER: usize = REGION_BASE + 0x8000;
export const STATE_BUFFER_SIZE: u32 = 0x4000;

// Console output bytes (UART transmit and HTIF putchar) for the host to drain.
export const CONSOLE: usize = REGION_BASE + 0x1_0000;
export const CONSOLE_SIZE: u32 = 0x1_0000;
// Stop the run loop once this much is buffered; each instruction adds at most one byte.
export const CONSOLE_HIGH_WATER: u32 = CONSOLE_SIZE - 0x1000;

// Console input bytes not yet read by the guest (a ring; the host keeps the
// rest of a long input and pushes more as the guest reads).
export const CONSOLE_INPUT: usize = REGION_BASE + 0xC000;
export const CONSOLE_INPUT_SIZE: u32 = 256;

// Register files of the devices (devices/): PLIC priorities, the virtio-mmio
// transports' registers and their device configuration spaces.
export const PLIC_PRIORITY: usize = REGION_BASE + 0xD000; // 96 x u32
export const VIRTIO_REGS: usize = REGION_BASE + 0xD200; // 8 slots x 64 u64
export const VIRTIO_CONFIG: usize = REGION_BASE + 0xE200; // 8 slots x 256 bytes
export const DEVICE_TABLE: usize = REGION_BASE + 0xEA00; // 16 entries x 24 bytes (bus.ts)

// One flag byte per 4 KiB page of guest RAM (up to 2 GiB of RAM).
export const PAGE_FLAGS: usize = REGION_BASE + 0x2_0000;
export const PAGE_FLAGS_SIZE: u32 = 0x8_0000;
export const PAGE_CODE: u8 = 1; // decoded instructions for this page are cached
export const PAGE_WATCHED: u8 = 2; // stores need the slow path (HTIF mailbox)
export const PAGE_DIRTY: u8 = 4; // written since the host last cleared it
export const PAGE_ABSENT: u8 = 8; // not loaded yet (lazy restore); no TLB ever maps it
export const PAGE_WRITTEN: u8 = 16; // written in an earlier dirty epoch, or by the host: cleared on reuse (ram.ts)

// Decoded-instruction cache: slots of one physical page each, 2048 entries of
// 8 bytes (one per halfword, since compressed instructions start on any
// halfword) and an OP_PAGE_END sentinel after them (written when a page
// claims the slot, and never overwritten). Direct-mapped by
// physical page number; tags hold the page index + 1, or 0 when empty.
export const DCACHE_SLOTS: u32 = 512;
export const DCACHE_ENTRIES_BYTES: u32 = 2048 * 8;
export const DCACHE_SLOT_BYTES: u32 = DCACHE_ENTRIES_BYTES + 64;
export const DCACHE_TAGS: usize = REGION_BASE + 0xA_0000;
export const DCACHE: usize = 0x20_0000;

// Guest RAM (physical RAM_BASE) lives here.
export const RAM_HOST: usize = DCACHE + <usize>DCACHE_SLOTS * DCACHE_SLOT_BYTES;
export const RAM_BASE: u64 = 0x8000_0000;
export const PAGE_SHIFT: u32 = 12;
export const PAGE_SIZE: u64 = 4096;
