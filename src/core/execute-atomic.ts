// The A extension: LR/SC with a single reservation, and the AMOs (unprivileged spec ch. 8).
// One hart, so every AMO is trivially atomic; what matters is permissions,
// alignment, sign extension and the reservation rules.
import * as hart from "./hart";
import { atomicHost, atomicStored } from "./mmu";
import { EV_TRAP, pending } from "./events";
import { OP_LR_W, OP_SC_W, OP_LR_D, OP_SC_D } from "./ops";

const NO_RESERVATION: u64 = 0xFFFF_FFFF_FFFF_FFFF;

// AMO kinds in op order after LR and SC: SWAP ADD XOR AND OR MIN MAX MINU MAXU.
function combine64(kind: u32, a: u64, b: u64): u64 {
  switch (kind) {
    case 0: return b;
    case 1: return a + b;
    case 2: return a ^ b;
    case 3: return a & b;
    case 4: return a | b;
    case 5: return <i64>a < <i64>b ? a : b;
    case 6: return <i64>a > <i64>b ? a : b;
    case 7: return a < b ? a : b;
    default: return a > b ? a : b;
  }
}

// Word AMOs compare as 32-bit values: signed for MIN/MAX, unsigned for MINU/MAXU.
function combine32(kind: u32, a: u32, b: u32): u32 {
  if (kind >= 7) return <u32>combine64(kind, <u64>a, <u64>b);
  return <u32>combine64(kind, <u64><i64><i32>a, <u64><i64><i32>b);
}

// rd is already mapped to the write sink for x0. On an exception, nothing is written.
export function executeAtomic(op: u32, rd: u32, rs1: u32, rs2: u32): void {
  const va = hart.getX(rs1);
  const wide = op >= OP_LR_D;
  const size: u32 = wide ? 8 : 4;
  const k = op - (wide ? OP_LR_D : OP_LR_W);
  if (k == 0) {
    const host = atomicHost(va, size, false);
    if ((pending & EV_TRAP) != 0) return;
    hart.setX(rd, wide ? load<u64>(host) : <u64><i64>load<i32>(host));
    hart.reservation = va;
    return;
  }
  const src = hart.getX(rs2);
  const host = atomicHost(va, size, true);
  if ((pending & EV_TRAP) != 0) return;
  if (k == 1) {
    // SC succeeds only on the reserved address, and always ends the reservation.
    const ok = hart.reservation == va;
    hart.reservation = NO_RESERVATION;
    if (ok) {
      if (wide) store<u64>(host, src);
      else store<u32>(host, <u32>src);
      atomicStored(host, size);
    }
    hart.setX(rd, ok ? 0 : 1);
    return;
  }
  if (wide) {
    const old = load<u64>(host);
    store<u64>(host, combine64(k - 2, old, src));
    hart.setX(rd, old);
  } else {
    const old = load<u32>(host);
    store<u32>(host, combine32(k - 2, old, <u32>src));
    hart.setX(rd, <u64><i64><i32>old);
  }
  atomicStored(host, size);
}

