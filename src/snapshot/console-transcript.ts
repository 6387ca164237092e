// A machine's console output: the segments written during a quantum (each
// tagged with its stream, in order) and what the manifest keeps of all of
// them, merged: the total byte count and the last CONSOLE_TAIL_BYTES.
import { concatBytes } from "../vm/bytes.ts";
import type { OutputSegment, OutputStream } from "../vm/guest-layer.ts";
import { CONSOLE_TAIL_BYTES } from "./manifest.ts";

export class ConsoleTranscript {
  private segments: OutputSegment[] = [];

  constructor(private state: { bytes: number; tail: Uint8Array }) {}

  /** The manifest's console.bytes and console.tail, up to the last take(). */
  get stored(): { bytes: number; tail: Uint8Array } {
    return this.state;
  }

  get untaken(): boolean {
    return this.segments.length > 0;
  }

  write(bytes: Uint8Array, stream: OutputStream): void {
    if (bytes.length > 0) this.segments.push({ stream, bytes });
  }

  /** The output since the last call, stream by stream in the order written; the stored tail moves on. */
  take(): OutputSegment[] {
    const segments = this.segments;
    const out = concatBytes(segments.map((s) => s.bytes));
    this.segments = [];
    const tail = concatBytes([this.state.tail, out]);
    this.state = { bytes: this.state.bytes + out.length, tail: tail.slice(Math.max(0, tail.length - CONSOLE_TAIL_BYTES)) };
    return segments;
  }
}
