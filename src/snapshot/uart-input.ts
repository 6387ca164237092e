// Console input for a system-mode machine: the bytes waiting behind the
// core's bounded UART queue, fed in as the queue drains. The backlog is part
// of the snapshot (the manifest's console.input), so the rule that splits
// pending input between queue and backlog decides snapshot ids: the queue
// always holds the first pending bytes, topped up before every slice and
// before every persist, which makes the split one function of the input.
import type { CoreExports } from "../vm/core-abi.ts";
import { concatBytes } from "../vm/bytes.ts";

export class UartInput {
  constructor(
    private readonly core: CoreExports,
    /** Input waiting behind the core's full queue, in order. */
    private backlog: Uint8Array,
  ) {}

  /** What the manifest stores: the bytes not yet in the core's queue. */
  get pending(): Uint8Array {
    return this.backlog;
  }

  push(bytes: Uint8Array): void {
    this.backlog = concatBytes([this.backlog, bytes]);
    this.feed();
  }

  /** Moves backlog into the core's queue while it has room. */
  feed(): void {
    let fed = 0;
    while (fed < this.backlog.length && this.core.consoleInputPush(this.backlog[fed]!) !== 0) fed++;
    // A view, not a copy: a large backlog is fed 256 bytes at a time.
    if (fed > 0) this.backlog = this.backlog.subarray(fed);
  }

  /**
   * The longest slice after which the host can still top the queue up before
   * the guest finds it empty; null without a backlog. Every cycle retires at
   * most one instruction, and an instruction reads the receive register at
   * most once (it is one byte at one address), so a slice no longer than the
   * bytes queued never drains the queue: with a backlog the guest sees input
   * without a gap, as if the queue had no bound, however the run is sliced.
   */
  sliceLimit(): bigint | null {
    if (this.backlog.length === 0) return null;
    return BigInt(this.core.consoleInputPending() >>> 0);
  }
}
