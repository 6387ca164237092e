// How slow paths tell the run loop that it must leave the fast path: a trap
// to take before the current instruction retires, or a reason to return to
// the host after it retires.
export const EV_TRAP: u32 = 1;
export const EV_HALT: u32 = 2;
export const EV_CONSOLE_FULL: u32 = 4;
export const EV_RECHECK: u32 = 8; // interrupt enables or timers changed
export const EV_FLUSH_FETCH: u32 = 16; // translation, privilege or code changed
export const EV_ABSENT: u32 = 32; // an access reached a RAM page the host has not loaded
export const EV_FAULT: u32 = 64; // the host could not give what an access needs (haltReason says what)
export const EV_NOTIFY: u32 = 128; // a virtio driver wrote QueueNotify: the host's backend has work

export let pending: u32 = 0;
export let trapCause: u64 = 0;
export let trapValue: u64 = 0;

// Exception causes (priv spec table 3.6).
export const CAUSE_FETCH_MISALIGNED: u64 = 0;
export const CAUSE_FETCH_ACCESS: u64 = 1;
export const CAUSE_ILLEGAL: u64 = 2;
export const CAUSE_BREAKPOINT: u64 = 3;
export const CAUSE_LOAD_MISALIGNED: u64 = 4;
export const CAUSE_LOAD_ACCESS: u64 = 5;
export const CAUSE_STORE_MISALIGNED: u64 = 6;
export const CAUSE_STORE_ACCESS: u64 = 7;
export const CAUSE_ECALL_U: u64 = 8;
export const CAUSE_ECALL_S: u64 = 9;
export const CAUSE_ECALL_M: u64 = 11;
export const CAUSE_FETCH_PAGE: u64 = 12;
export const CAUSE_LOAD_PAGE: u64 = 13;
export const CAUSE_STORE_PAGE: u64 = 15;
export const CAUSE_INTERRUPT: u64 = 1 << 63;

export function raise(cause: u64, value: u64): void {
  if ((pending & EV_TRAP) != 0) return; // the first exception of an instruction wins
  pending |= EV_TRAP;
  trapCause = cause;
  trapValue = value;
}

// Like an exception, the instruction does not retire; but the run returns to
// the host (EXIT_PAGE_ABSENT) instead of entering a trap handler.
export let absentPage: u32 = 0;

export function raiseAbsent(page: u32): void {
  if ((pending & EV_TRAP) != 0) return;
  pending |= EV_TRAP | EV_ABSENT;
  absentPage = page;
}

@inline export function signal(ev: u32): void {
  pending |= ev;
}

// Why run() returned (the host contract, see src/vm).
export const EXIT_BUDGET: u32 = 0;
export const EXIT_HALT: u32 = 1;
export const EXIT_IDLE: u32 = 2;
export const EXIT_CONSOLE_FULL: u32 = 3;
export const EXIT_ECALL: u32 = 4;
export const EXIT_FAULT: u32 = 5;
export const EXIT_TRAP: u32 = 6; // an exception in U-mode with userTrapExits set: see trapCause/trapValue
export const EXIT_PAGE_ABSENT: u32 = 7; // lazy restore: load absentPage, mark it present, run again
export const EXIT_NOTIFY: u32 = 8; // a virtio queue notification: the host serves the queue, then runs again

export let haltCode: u32 = 0;
// Why the machine halted: a poweroff or exit (with haltCode), or a reboot request.
export const HALT_POWEROFF: u32 = 0;
export const HALT_REBOOT: u32 = 1;
export let haltKind: u32 = HALT_POWEROFF;

// Why run() returned EXIT_FAULT.
export const FAULT_NONE: u32 = 0;
export const FAULT_TRAP_LOOP: u32 = 1; // the trap handler's address cannot be fetched
export const FAULT_NO_MEMORY: u32 = 2; // the wasm memory could not grow to back guest RAM
export let haltReason: u32 = FAULT_NONE;

// Stops the machine with EXIT_FAULT; like an exception, the instruction does not retire.
export function raiseFault(reason: u32): void {
  if ((pending & EV_TRAP) != 0) return;
  pending |= EV_TRAP | EV_FAULT;
  haltReason = reason;
}

// A new machine on this instance: nothing pending, nothing to report.
export function eventsReset(): void {
  pending = 0;
  trapCause = 0;
  trapValue = 0;
  absentPage = 0;
  haltCode = 0;
  haltKind = HALT_POWEROFF;
  haltReason = FAULT_NONE;
}

export function halt(code: u32): void {
  haltCode = code;
  haltKind = HALT_POWEROFF;
  pending |= EV_HALT;
}

export function reboot(): void {
  haltCode = 0;
  haltKind = HALT_REBOOT;
  pending |= EV_HALT;
}
