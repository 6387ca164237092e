// Shared body of sv39.S and sv48.S (privileged spec, sections 4.3 "Sv32"
// for the translation algorithm (4.3.2), 4.4 "Sv39", 4.5 "Sv48", 4.1.11
// satp, 4.2.1 sfence.vma, 3.1.6.3 MPRV/MXR/SUM). The includer defines
// VM_LEVELS (3 or 4), VM_SATP_MODE (8 or 9) and VM_NAME.
//
// M-mode builds page tables (vm_map below) with these mappings:
//   VA 0 .. 1 GiB            -> PA same         gigapage, RW (UART, CLINT, ...)
//   VA 0x80000000 .. +1 GiB  -> PA same         gigapage, RWX (code, data, stack)
//   VA 0x100000000 .. +1 GiB -> PA 0x80000000   gigapage alias, RW
//   VA 0x40000000 .. +2 MiB  -> PA 0x80000000   megapage alias, RW
//   VA 0x40600000            -> PA 0x80001000   megapage with PPN[0] != 0 (misaligned)
//   VA 0x40200000 + n*4 KiB  -> 4 KiB test pages with various permissions
// then runs most checks in S-mode, and some in U-mode, with translation on:
// permissions (R/W/X, the reserved W-without-R, U vs S with SUM, MXR),
// invalid and non-leaf PTEs, misaligned superpages, non-canonical addresses,
// A/D bits (hardware update or page fault: either, but consistently),
// sfence.vma after PTE changes, misaligned accesses crossing pages, an
// instruction straddling into an unmapped page, page faults taken in M and
// delegated to S (cause, epc and tval = faulting virtual address), and MPRV.
#include "macros.h"

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

#define VA_GIGA_ALIAS 0x100000000
#define VA_MEGA 0x40000000
#define VA_MEGA_BAD 0x40600000
#define VA_PAGES 0x40200000
#define VA_PAGE(n) (VA_PAGES + (n) * 0x1000)
#define P_RW VA_PAGE(0) // page_a, RW
#define P_RO VA_PAGE(1) // page_b, R
#define P_INV VA_PAGE(2) // V = 0
#define P_XO VA_PAGE(3) // page_c, X only (code at offset 0)
#define P_U VA_PAGE(4) // page_d, RW + U
#define P_AD VA_PAGE(5) // page_e, RW with A = D = 0
#define P_NX VA_PAGE(6) // page_f, RW (not executable)
#define P_UX VA_PAGE(7) // the U-mode code page, RX + U
#define P_WO VA_PAGE(8) // page_a, W without R: reserved
#define P_SWAP VA_PAGE(9) // page_a, remapped to page_b during the test
#define P_AD2 VA_PAGE(10) // page_g, RW with A = 1, D = 0
#define P_XA VA_PAGE(11) // page_h, RX with A = 0 (code at offset 0)
#define P_PTR VA_PAGE(12) // V = 1, R = W = X = 0 at the last level
#define P_X2 VA_PAGE(13) // page_i, RX; VA_PAGE(14) is unmapped
#define P_UNMAPPED VA_PAGE(14)

#if VM_LEVELS == 3
#define VA_NONCANON 0x0000008000000000 // bit 39 set, bit 38 clear
#else
#define VA_NONCANON 0x0001000000000000 // bit 48 set, bit 47 clear
#define VA_SV48_HIGH 0x00007ffffffff000 // top of the lower half: page_b
#define VA_SV48_39 0x0000008000000000 // non-canonical in Sv39: page_c data
#define VA_TERA 0x0000010000000000 // 512 GiB terapage -> PA 0
#endif

// Patterns at offset 8 of each data page (offset 0 holds code for some).
#define PAT_A 0x5a5a00aa000000a1
#define PAT_B 0x5a5a00bb000000b1
#define PAT_C 0x5a5a00cc000000c1
#define PAT_D 0x5a5a00dd000000d1
#define PAT_E 0x5a5a00ee000000e1
#define PAT_F 0x5a5a00ff000000f1
#define PAT_G 0x5a5a0011000000a2
#define PAT_H 0x5a5a0022000000a3
#define PAT_I 0x5a5a0033000000a4

#define MEDELEG_PF ((1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT))

// a0 := the VA through which `sym` is seen in the megapage / gigapage alias
.macro mega_alias reg, sym
    la \reg, \sym
    li t5, 0x80000000
    sub \reg, \reg, t5
    li t5, VA_MEGA
    add \reg, \reg, t5
.endm
.macro giga_alias reg, sym
    la \reg, \sym
    li t5, 0x80000000
    sub \reg, \reg, t5
    li t5, VA_GIGA_ALIAS
    add \reg, \reg, t5
.endm

// map va -> pa (immediate or label) at a level with flags; a0 := &PTE
.macro map_imm va, pa, level, flags
    li a0, \va
    li a1, \pa
    li a2, \level
    li a3, \flags
    jal ra, vm_map
.endm
.macro map_sym va, sym, level, flags
    li a0, \va
    la a1, \sym
    li a2, \level
    li a3, \flags
    jal ra, vm_map
.endm

// In S-mode: run the U-mode routine `entry` (in the U code page) and come
// back to S through the S handler, which records the trap that ended it: an
// ecall (cause 8) when the routine completed, or the fault it hit.
// Requires medeleg bit 8 and CATCH_STRAPS.
.macro s_run_u entry
    STRAP_RESET
    STRAP_RETURN_AT(.Lback\@)
    la t5, \entry
    la t6, u_code
    sub t5, t5, t6
    li t6, P_UX
    add t5, t5, t6
    csrw sepc, t5
    li t5, MSTATUS_SPP
    csrc sstatus, t5
    li t6, 0
    sret
.Lback\@:
.endm

TEST_BEGIN(VM_NAME)
    CATCH_MTRAPS
    CATCH_STRAPS
    jal ra, vm_setup

    // ---- satp: mode, root PPN; M-mode is never translated ---------------------
    la t0, vm_root
    srli t0, t0, 12
    li t1, VM_SATP_MODE
    slli t1, t1, 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    csrr t1, satp
    CHECK_R(t1, t0) // the mode is supported, so the write sticks
    ld a1, page_a + 8 // still physical in M
    CHECK(a1, PAT_A)

    // ---- MPRV: M-mode loads/stores translated as S (section 3.1.6.3) --------------
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPP_S | MSTATUS_MPRV
    csrs mstatus, t0
    mega_alias s0, page_b
    ld a1, 8(s0) // VA_MEGA is only meaningful through the page tables
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK(a1, PAT_B)

    M_TO_S

    // ---- gigapage and megapage aliases (S-mode from here) ---------------------------
    giga_alias s0, page_a
    ld a1, 8(s0)
    CHECK(a1, PAT_A)
    mega_alias s1, page_a
    ld a1, 8(s1)
    CHECK(a1, PAT_A)
    li a2, 0x1234
    sd a2, 16(s1) // write through one alias, read through the other
    ld a1, 16(s0)
    CHECK(a1, 0x1234)
    ld a1, page_a + 16 // and through the identity mapping
    CHECK(a1, 0x1234)

    // ---- permissions, faults taken in M (nothing delegated yet) -------------------
    li s0, P_RW
    ld a1, 8(s0)
    CHECK(a1, PAT_A)
    li a2, 0x77
    sd a2, 24(s0)
    ld a1, page_a + 24
    CHECK(a1, 0x77)
    // read-only: loads fine, stores fault
    li s0, P_RO
    ld a1, 8(s0)
    CHECK(a1, PAT_B)
    MTRAP_RESET
1:  sd a2, 16(s0)
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    addi a1, s0, 16
    CHECK_MEM_R(isa_mtrap_tval, a1)
    ld a1, isa_mtrap_status // taken from S
    CHECK_BITS(a1, MSTATUS_MPP, MSTATUS_MPP_S)
    // invalid: loads, stores and fetches fault, tval = the VA
    li s0, P_INV
    MTRAP_RESET
1:  ld a1, 0(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    MTRAP_RESET
1:  sw a1, 4(s0)
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    addi a1, s0, 4
    CHECK_MEM_R(isa_mtrap_tval, a1)
    MTRAP_RESET
    MTRAP_RESUME_AT(1f)
    jalr ra, 0(s0)
1:  CHECK_MEM(isa_mtrap_count, 1)
    CHECK_MEM(isa_mtrap_cause, CAUSE_FETCH_PAGE_FAULT)
    CHECK_MEM_R(isa_mtrap_epc, s0)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    // execute-only: fetch fine, loads fault unless MXR
    li s0, P_XO
    li a0, 0
    jalr ra, 0(s0) // the page starts with "li a0, 1; ret"
    CHECK(a0, 1)
    MTRAP_RESET
1:  ld a1, 8(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    li t0, MSTATUS_MXR
    csrs sstatus, t0
    MTRAP_RESET
    ld a1, 8(s0)
    CHECK_NO_MTRAP
    CHECK(a1, PAT_C)
    MTRAP_RESET
1:  sd a1, 8(s0) // MXR grants reads only
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    li t0, MSTATUS_MXR
    csrc sstatus, t0
    // not executable: fetch faults
    li s0, P_NX
    MTRAP_RESET
    MTRAP_RESUME_AT(1f)
    jalr ra, 0(s0)
1:  CHECK_MEM(isa_mtrap_cause, CAUSE_FETCH_PAGE_FAULT)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    // W without R is reserved: any access faults with its own cause
    li s0, P_WO
    MTRAP_RESET
1:  ld a1, 8(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    MTRAP_RESET
1:  sd a1, 8(s0)
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    // a non-leaf PTE (R = W = X = 0) at the last level
    li s0, P_PTR
    MTRAP_RESET
1:  ld a1, 0(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    // a megapage whose PPN[0] is not zero (step 6 of the algorithm)
    li s0, VA_MEGA_BAD + 0x10
    MTRAP_RESET
1:  ld a1, 0(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    // non-canonical: bits above the VA width must equal its top bit
    li s0, VA_NONCANON
    MTRAP_RESET
1:  ld a1, 0(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    MTRAP_RESET
1:  sd a1, 0(s0)
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    CHECK_MEM_R(isa_mtrap_tval, s0)

    // ---- U pages from S: SUM (section 4.1.1.2) ----------------------------------
    li t0, MSTATUS_SUM
    csrc sstatus, t0
    li s0, P_U
    MTRAP_RESET
1:  ld a1, 8(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    MTRAP_RESET
1:  sd a1, 16(s0)
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    li t0, MSTATUS_SUM
    csrs sstatus, t0
    MTRAP_RESET
    ld a1, 8(s0)
    li a2, 0x99
    sd a2, 16(s0)
    CHECK_NO_MTRAP
    CHECK(a1, PAT_D)
    ld a1, page_d + 16
    CHECK(a1, 0x99)
    // S never executes from a U page, SUM or not
    MTRAP_RESET
    MTRAP_RESUME_AT(1f)
    jalr ra, 0(s0)
1:  CHECK_MEM(isa_mtrap_cause, CAUSE_FETCH_PAGE_FAULT)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    li t0, MSTATUS_SUM
    csrc sstatus, t0

    // ---- A and D (section 4.3.1): the hardware sets them, or the access page-
    // faults and software sets them. Either is allowed; one hart must be
    // consistent. s5 = 1 if the first access showed hardware updating.
    ld s4, pte_ad_addr
    li s0, P_AD
    MTRAP_RESET
    MTRAP_RESUME_AT(2f)
1:  ld a1, 8(s0)
2:  ld t0, isa_mtrap_count
    seqz s5, t0
    ld a2, 0(s4)
    beqz s5, 3f
    // hardware: A set by the load, D still clear
    CHECK(a1, PAT_E)
    CHECK_BITS(a2, PTE_A | PTE_D, PTE_A)
    j 4f
3:  CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    CHECK_BITS(a2, PTE_A | PTE_D, 0) // a faulting access leaves the PTE alone
    ori a2, a2, PTE_A
    sd a2, 0(s4)
    sfence.vma s0, zero
    ld a1, 8(s0)
    CHECK(a1, PAT_E)
4:  // the store: hardware sets D; software mode faults (A is set, D is not)
    MTRAP_RESET
    MTRAP_RESUME_AT(2f)
    li a3, 0x4242
1:  sd a3, 16(s0)
2:  ld t0, isa_mtrap_count
    ld a2, 0(s4)
    beqz s5, 3f
    CHECK(t0, 0)
    CHECK_BITS(a2, PTE_A | PTE_D, PTE_A | PTE_D)
    j 4f
3:  CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    CHECK_BITS(a2, PTE_D, 0)
    ori a2, a2, PTE_D
    sd a2, 0(s4)
    sfence.vma s0, zero
    sd a3, 16(s0)
4:  ld a1, page_e + 16
    CHECK(a1, 0x4242)
    // a store to a page with A = 1, D = 0
    ld s4, pte_ad2_addr
    li s0, P_AD2
    MTRAP_RESET
    MTRAP_RESUME_AT(2f)
1:  sd a3, 24(s0)
2:  ld t0, isa_mtrap_count
    ld a2, 0(s4)
    beqz s5, 3f
    CHECK(t0, 0)
    CHECK_BITS(a2, PTE_D, PTE_D)
    j 4f
3:  CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    ori a2, a2, PTE_D
    sd a2, 0(s4)
    sfence.vma s0, zero
    sd a3, 24(s0)
4:  ld a1, page_g + 24
    CHECK(a1, 0x4242)
    // a fetch from a page with A = 0
    ld s4, pte_xa_addr
    li s0, P_XA
    MTRAP_RESET
    MTRAP_RESUME_AT(2f)
    li a0, 0
    jalr ra, 0(s0) // "li a0, 1; ret" when it runs
2:  ld t0, isa_mtrap_count
    ld a2, 0(s4)
    beqz s5, 3f
    CHECK(t0, 0)
    CHECK(a0, 1)
    CHECK_BITS(a2, PTE_A, PTE_A)
    j 4f
3:  CHECK_MEM(isa_mtrap_cause, CAUSE_FETCH_PAGE_FAULT)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    ori a2, a2, PTE_A
    sd a2, 0(s4)
    sfence.vma s0, zero
    li a0, 0
    jalr ra, 0(s0)
    CHECK(a0, 1)
4:

    // ---- sfence.vma after changing a PTE (section 4.2.1) -------------------------
    ld s4, pte_swap_addr
    li s0, P_SWAP
    ld a1, 8(s0)
    CHECK(a1, PAT_A) // now likely cached in a TLB
    la t0, page_b
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    sd t0, 0(s4)
    sfence.vma s0, zero // this address, all address spaces
    ld a1, 8(s0)
    CHECK(a1, PAT_B)
    la t0, page_a
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    sd t0, 0(s4)
    sfence.vma // everything
    ld a1, 8(s0)
    CHECK(a1, PAT_A)
    sd zero, 0(s4) // invalidate
    sfence.vma zero, zero
    MTRAP_RESET
1:  ld a1, 8(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)

    // ---- misaligned accesses across pages -----------------------------------------
    // RW page followed by the R page: a load spanning both works
    li s0, P_RW + 0xffc
    MTRAP_RESET
    ld a1, 0(s0)
    CHECK_NO_MTRAP
    CHECK(a1, 0x000000b1a1a2a3a4) // page_a's last word, then page_b's first
    // R page followed by an invalid one: the load faults; tval is the
    // access's address or the start of the faulting part
    li s0, P_RO + 0xffc
    MTRAP_RESET
1:  ld a1, 0(s0)
    CHECK_MTRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    ld a1, isa_mtrap_tval
    CHECK_EITHER(a1, P_RO + 0xffc, P_INV)
    // RW page followed by the R page: the store faults
    li s0, P_RW + 0xffe
    MTRAP_RESET
1:  sw a1, 0(s0)
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    ld a1, isa_mtrap_tval
    CHECK_EITHER(a1, P_RW + 0xffe, P_RO)
    // an instruction whose second half lies in an unmapped page: the fault
    // is at the instruction (epc) with tval = the part that faulted
    // (section 3.1.16: "the portion of the instruction that caused the fault")
    li s0, P_X2 + 0xffe
    MTRAP_RESET
    MTRAP_RESUME_AT(1f)
    jalr ra, 0(s0)
1:  CHECK_MEM(isa_mtrap_count, 1)
    CHECK_MEM(isa_mtrap_cause, CAUSE_FETCH_PAGE_FAULT)
    CHECK_MEM_R(isa_mtrap_epc, s0)
    CHECK_MEM(isa_mtrap_tval, P_UNMAPPED)

#if VM_LEVELS == 4
    // ---- Sv48 only: the upper VA bits and a 512 GiB terapage ---------------------
    li s0, VA_SV48_HIGH
    ld a1, 8(s0)
    CHECK(a1, PAT_B)
    li s0, VA_SV48_39 // would be non-canonical in Sv39
    ld a1, 8(s0)
    CHECK(a1, PAT_C)
    la s0, page_a
    li t0, VA_TERA
    add s0, s0, t0
    ld a1, 8(s0)
    CHECK(a1, PAT_A)
    MTRAP_RESET
1:  sd a1, 8(s0) // the terapage is read-only
    CHECK_MTRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    addi a1, s0, 8
    CHECK_MEM_R(isa_mtrap_tval, a1)
#endif

    // ---- delegated page faults: taken in S with scause/sepc/stval ---------------------
    TO_M
    li t0, MEDELEG_PF | (1 << CAUSE_USER_ECALL)
    csrw medeleg, t0
    M_TO_S
    li s0, P_INV
    MTRAP_RESET
    STRAP_RESET
1:  lw a1, 0(s0)
    CHECK_STRAP(CAUSE_LOAD_PAGE_FAULT, 1b)
    CHECK_MEM_R(isa_strap_tval, s0)
    CHECK_NO_MTRAP
    ld a1, isa_strap_status
    CHECK_BITS(a1, MSTATUS_SPP, MSTATUS_SPP) // from S
    li s0, P_RO
    STRAP_RESET
1:  sh a1, 2(s0)
    CHECK_STRAP(CAUSE_STORE_PAGE_FAULT, 1b)
    addi a1, s0, 2
    CHECK_MEM_R(isa_strap_tval, a1)
    li s0, P_NX
    STRAP_RESET
    STRAP_RESUME_AT(1f)
    jalr ra, 0(s0)
1:  CHECK_MEM(isa_strap_count, 1)
    CHECK_MEM(isa_strap_cause, CAUSE_FETCH_PAGE_FAULT)
    CHECK_MEM_R(isa_strap_epc, s0)
    CHECK_MEM_R(isa_strap_tval, s0)
    CHECK_NO_MTRAP

    // ---- U-mode (faults delegated to S) ---------------------------------------------
    // U may use U pages...
    li a0, P_U + 8
    li a1, 0
    s_run_u u_load
    CHECK_MEM(isa_strap_cause, CAUSE_USER_ECALL)
    CHECK(a1, PAT_D)
    li a0, P_U + 32
    li a1, 0x3131
    s_run_u u_store
    CHECK_MEM(isa_strap_cause, CAUSE_USER_ECALL)
    ld a1, page_d + 32
    CHECK(a1, 0x3131)
    // ...but no S page, whatever SUM says
    li t0, MSTATUS_SUM
    csrs sstatus, t0
    li a0, P_RW + 8
    s_run_u u_load
    CHECK_MEM(isa_strap_cause, CAUSE_LOAD_PAGE_FAULT)
    CHECK_MEM_R(isa_strap_tval, a0)
    ld a1, isa_strap_status
    CHECK_BITS(a1, MSTATUS_SPP, 0) // from U
    li a0, P_RW + 16
    s_run_u u_store
    CHECK_MEM(isa_strap_cause, CAUSE_STORE_PAGE_FAULT)
    CHECK_MEM_R(isa_strap_tval, a0)
    li t0, MSTATUS_SUM
    csrc sstatus, t0
    // ...and cannot execute S code
    li a0, P_XO
    s_run_u u_jump
    CHECK_MEM(isa_strap_cause, CAUSE_FETCH_PAGE_FAULT)
    CHECK_MEM_R(isa_strap_epc, a0)
    CHECK_MEM_R(isa_strap_tval, a0)
    // MXR makes X-only readable, but still only for the right privilege
    li t0, MSTATUS_MXR
    csrs sstatus, t0
    li a0, P_UX + 0
    s_run_u u_load // the U code page is R anyway: fine
    CHECK_MEM(isa_strap_cause, CAUSE_USER_ECALL)
    li a0, P_XO + 8
    s_run_u u_load
    CHECK_MEM(isa_strap_cause, CAUSE_LOAD_PAGE_FAULT)
    li t0, MSTATUS_MXR
    csrc sstatus, t0

    TO_M
    csrw medeleg, zero
    csrw satp, zero
    sfence.vma
    UNCATCH_MTRAPS
TEST_END

// ---- M-mode helpers ------------------------------------------------------------

// vm_map(a0 = va, a1 = pa, a2 = leaf level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB,
// 3: 512 GiB), a3 = PTE flags) -> a0 = address of the leaf PTE.
// Walks from vm_root, taking missing tables from vm_pool. Clobbers t0-t4.
    .balign 4
vm_map:
    la t0, vm_root
    li t1, VM_LEVELS - 1
1:  // index at level t1: va >> (12 + 9 * level) & 511
    li t2, 9
    mul t2, t2, t1
    addi t2, t2, 12
    srl t3, a0, t2
    andi t3, t3, 511
    slli t3, t3, 3
    add t3, t0, t3 // &PTE
    beq t1, a2, 3f
    ld t4, 0(t3)
    andi t2, t4, PTE_V
    bnez t2, 2f
    ld t4, vm_pool_next // a fresh (zeroed) table
    li t2, 4096
    add t2, t4, t2
    sd t2, vm_pool_next, t0
    srli t4, t4, 12
    slli t4, t4, 10
    ori t4, t4, PTE_V
    sd t4, 0(t3)
2:  srli t4, t4, 10
    slli t0, t4, 12
    addi t1, t1, -1
    j 1b
3:  srli t4, a1, 12
    slli t4, t4, 10
    or t4, t4, a3
    sd t4, 0(t3)
    mv a0, t3
    ret

// Build the page tables and fill the test pages (M-mode, physical).
    .balign 4
vm_setup:
    mv s11, ra
    la t0, vm_pool + 4096 // vm_root is the first pool page
    sd t0, vm_pool_next, t1
    // patterns at offset 8
    li t0, PAT_A
    sd t0, page_a + 8, t1
    li t0, PAT_B
    sd t0, page_b + 8, t1
    li t0, PAT_C
    sd t0, page_c + 8, t1
    li t0, PAT_D
    sd t0, page_d + 8, t1
    li t0, PAT_E
    sd t0, page_e + 8, t1
    li t0, PAT_F
    sd t0, page_f + 8, t1
    li t0, PAT_G
    sd t0, page_g + 8, t1
    li t0, PAT_H
    sd t0, page_h + 8, t1
    li t0, PAT_I
    sd t0, page_i + 8, t1
    // for the page-crossing load: the last word of page_a, first of page_b
    li t0, 0xa1a2a3a4
    sw t0, page_a + 4092, t1
    li t0, 0x000000b1
    sw t0, page_b, t1
    // code: "li a0, 1; ret" (c.li a0, 1 = 0x4505; c.jr ra = 0x8082) at the
    // start of the executable pages (and of the ones that must not execute,
    // so that a wrong execution returns rather than running wild)
    li t0, 0x80824505
    sw t0, page_c, t1
    sw t0, page_d, t1
    sw t0, page_f, t1
    sw t0, page_h, t1
    // page_i: the first half of a 32-bit instruction (addi x0, x0, 0) at its end
    li t0, 0x0013
    sh t0, page_i + 4094, t1
    fence.i

    // the mappings
    map_imm 0x0, 0x0, 2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    map_imm 0x80000000, 0x80000000, 2, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    map_imm VA_GIGA_ALIAS, 0x80000000, 2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    map_imm VA_MEGA, 0x80000000, 1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    map_imm VA_MEGA_BAD, 0x80001000, 1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    map_sym P_RW, page_a, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    map_sym P_RO, page_b, 0, PTE_V | PTE_R | PTE_A
    map_sym P_INV, page_a, 0, PTE_R | PTE_W | PTE_A | PTE_D // V = 0
    map_sym P_XO, page_c, 0, PTE_V | PTE_X | PTE_A
    map_sym P_U, page_d, 0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
    map_sym P_AD, page_e, 0, PTE_V | PTE_R | PTE_W
    sd a0, pte_ad_addr, t0
    map_sym P_NX, page_f, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    map_sym P_UX, u_code, 0, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
    map_sym P_WO, page_a, 0, PTE_V | PTE_W | PTE_A | PTE_D
    map_sym P_SWAP, page_a, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    sd a0, pte_swap_addr, t0
    map_sym P_AD2, page_g, 0, PTE_V | PTE_R | PTE_W | PTE_A
    sd a0, pte_ad2_addr, t0
    map_sym P_XA, page_h, 0, PTE_V | PTE_R | PTE_X
    sd a0, pte_xa_addr, t0
    map_sym P_PTR, page_a, 0, PTE_V
    map_sym P_X2, page_i, 0, PTE_V | PTE_R | PTE_X | PTE_A
#if VM_LEVELS == 4
    map_sym VA_SV48_HIGH, page_b, 0, PTE_V | PTE_R | PTE_A
    map_sym VA_SV48_39, page_c, 0, PTE_V | PTE_R | PTE_A
    map_imm VA_TERA, 0x0, 3, PTE_V | PTE_R | PTE_A
#endif
    mv ra, s11
    ret

// ---- the U-mode code page (mapped at P_UX) -----------------------------------
// Each routine ends in an ecall, which the S handler turns into a return to S.
    .section .text.upage, "ax"
    .balign 4096
u_code:
u_load: // a1 := *a0
    ld a1, 0(a0)
    ecall
u_store: // *a0 := a1
    sd a1, 0(a0)
    ecall
u_jump: // jump to a0
    jalr ra, 0(a0)
    ecall
    .balign 4096

    .data
    .balign 8
pte_ad_addr: .dword 0
pte_ad2_addr: .dword 0
pte_xa_addr: .dword 0
pte_swap_addr: .dword 0
vm_pool_next: .dword 0

    .bss
    .balign 4096
vm_pool:
vm_root:
    .space 4096 * 12
page_a: .space 4096
page_b: .space 4096
page_c: .space 4096
page_d: .space 4096
page_e: .space 4096
page_f: .space 4096
page_g: .space 4096
page_h: .space 4096
page_i: .space 4096
