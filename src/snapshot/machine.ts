// A machine between two snapshots: restored lazily from a manifest (or booted
// from a program), run for one quantum, persisted incrementally.
//
// Restore: a core (an idle instance when there is one, src/vm/core-pool.ts)
// becomes an empty machine with RAM backed on demand and gets the state
// record; every page of a non-zero chunk is marked absent (zero chunks are
// simply zero and present). The chunks the
// previous quantum touched are fetched in one batch ahead of time but filled
// only when touched, so the working set of this quantum is exactly what the
// guest used. Touching an absent page stops run() with PAGE_ABSENT; the chunk
// is filled, its pages marked present, and the run resumes.
//
// Persist: only chunks with a dirty page (the core's dirty epoch starts at
// restore) are hashed; those whose content changed are compressed and
// written. Chunks first, then the manifest, then the metadata: a manifest is
// never visible before the chunks it names.
import { BareMachine } from "../vm/bare/bare-machine.ts";
import {
  loadStateRecord, PAGE_BYTES, PageFlag, RAM_BASE, RAM_BASE_NUMBER, RunExit, saveStateRecord, stateRecordVersion, type CoreExports,
} from "../vm/core-abi.ts";
import { acquireCore, releaseCore, type CoreInstance } from "../vm/core-pool.ts";
import { checkFitsRam, parseElf, type Elf } from "../vm/elf.ts";
import {
  LayerStateError, type GuestHost, type GuestLayer, type GuestLayerCodec, type GuestMode, type MachineStatus, type OutputSegment,
  type OutputStream, type PreparedMachine,
} from "../vm/guest-layer.ts";
import { runSlices, type SliceVerdict } from "../vm/run-loop.ts";
import { concatBytes } from "../vm/bytes.ts";
import { encodeChunkObject, type ChunkCodec } from "./chunk-object.ts";
import { ConsoleTranscript } from "./console-transcript.ts";
import { SnapshotError } from "./errors.ts";
import { sha256, type ObjectId } from "./hash.ts";
import {
  chunkCount, DEFAULT_CHUNK_BYTES, encodeManifest, MAX_CHUNK_BYTES, MIN_CHUNK_BYTES,
  type ChunkedBytes, type ChunkRef, type Manifest,
} from "./manifest.ts";
import { encodeMeta, readMeta, type QuantumCounters } from "./metadata.ts";
import { mapLimit, objectKey, putObject, readChunk, readManifest, type ObjectStore } from "./store.ts";
import { UartInput } from "./uart-input.ts";

export interface SnapshotOptions {
  /** The compiled core (build/core.wasm): Node compiles it, a Worker imports it. */
  core: WebAssembly.Module;
  /** Codecs of the guest-OS layers this host can restore (process mode). */
  layers?: readonly GuestLayerCodec[];
  /** How chunks are compressed (default "lz4"; the id does not depend on it). */
  codec?: ChunkCodec;
  /** Chunk size of machines booted here (default 64 KiB); a restored machine keeps its own. */
  chunkBytes?: number;
  /** At most this many hinted chunks are fetched ahead at restore (default 256, 16 MiB). */
  prefetchLimit?: number;
  /** Store operations in flight at once (default 6, a Worker's simultaneous connections). */
  concurrency?: number;
}

/** A machine that has no snapshot yet. */
export type InitialMachine =
  /**
   * A bare-metal ELF on the virt board (system mode), loaded as `edgevm run`
   * loads it; `console`: input waiting for its UART from the start.
   */
  | { kind: "elf"; program: Uint8Array | Elf; ramBytes: number; console?: Uint8Array }
  /** A machine the caller set up on a core instantiated from options.core (src/vm/guest-layer.ts). */
  | PreparedMachine;

export interface QuantumTimings {
  /** Reading the manifest and metadata, setting up the core, fetching, checking and filling chunks. */
  restoreMs: number;
  /** Inside the core's run(). */
  runMs: number;
  /** Hashing, compressing and writing chunks, manifest and metadata. */
  persistMs: number;
}

const now = (): number => performance.now();

export class LiveMachine {
  status: MachineStatus;
  readonly counters: QuantumCounters = {
    instructions: 0, cycles: 0, objectsRead: 0, bytesRead: 0, objectsWritten: 0, bytesWritten: 0,
    chunksFetched: 0, chunksPrefetched: 0, chunksDirty: 0, chunksChanged: 0, pageFaults: 0,
  };
  readonly timings: QuantumTimings = { restoreMs: 0, runMs: 0, persistMs: 0 };

  private readonly pagesPerChunk: number;
  /** Chunks not filled yet (lazy restore). */
  private readonly absent: Uint8Array;
  /** Hinted chunks being fetched ahead, by chunk index. */
  private readonly prefetched = new Map<number, Promise<Uint8Array>>();
  /** Chunks filled during this quantum. */
  private readonly touched = new Set<number>();
  /** Chunks the guest layer wrote. */
  private readonly hostWritten = new Set<number>();
  /** Chunks the boot loader wrote (persisted, but not a working-set hint: they would bring in the whole image). */
  private readonly bootWritten = new Set<number>();
  private allWritten: boolean;
  private readonly transcript: ConsoleTranscript;
  private readonly uart: UartInput;
  private layer: GuestLayer | null = null;
  private readonly host: GuestHost;
  /** The instance this machine took from the pool (null for a core the caller set up), until release(). */
  private pooled: CoreInstance | null = null;
  private released = false;

  private constructor(
    readonly core: CoreExports,
    readonly mode: GuestMode,
    readonly chunkBytes: number,
    private memory: ChunkRef[],
    private guestState: { kind: string; state: ChunkedBytes } | null,
    consoleState: { bytes: number; tail: Uint8Array },
    /** System mode: console input waiting behind the core's full UART queue, in order. */
    inputBacklog: Uint8Array,
    status: MachineStatus,
    private readonly store: ObjectStore | null,
    private readonly options: SnapshotOptions,
    booted: boolean,
  ) {
    this.status = status;
    this.transcript = new ConsoleTranscript(consoleState);
    this.uart = new UartInput(core, inputBacklog);
    this.pagesPerChunk = chunkBytes / PAGE_BYTES;
    this.absent = new Uint8Array(memory.length);
    this.allWritten = booted;
    this.host = {
      core,
      resident: (paddr, length) => this.resident(paddr, length),
      wrote: (paddr, length) => this.hostWrote(paddr, length),
      output: (bytes, stream = "stdout") => this.emit(bytes.slice(), stream),
    };
  }

  get ramBytes(): number {
    return this.core.ramSize() >>> 0;
  }

  // ---- creating ------------------------------------------------------------

  static async boot(initial: InitialMachine, options: SnapshotOptions): Promise<LiveMachine> {
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES || (chunkBytes & (chunkBytes - 1)) !== 0) {
      throw new RangeError(`chunk size ${chunkBytes} is not a power of two from ${MIN_CHUNK_BYTES} to ${MAX_CHUNK_BYTES}`);
    }
    let core: CoreExports;
    let pooled: CoreInstance | null = null;
    let layer: GuestLayer | null = null;
    let mode: GuestMode = "system";
    // What boot wrote to RAM: [paddr, bytes) ranges, or "all" when unknown.
    let written: [bigint, bigint][] | "all" | "dirty-pages";
    if (initial.kind === "elf") {
      const elf = initial.program instanceof Uint8Array ? parseElf(initial.program) : initial.program;
      checkFitsRam(elf, RAM_BASE, BigInt(initial.ramBytes));
      pooled = await acquireCore(options.core);
      BareMachine.fromInstance(pooled.instance, { ramBytes: initial.ramBytes }).load(elf);
      core = pooled.core;
      // Only file bytes can be non-zero: bss is zero in an empty core already.
      written = elf.segments.filter((s) => s.memsz > 0n).map((s) => [s.paddr, BigInt(s.filesz)]);
    } else {
      core = initial.core;
      if (initial.instance) pooled = { instance: initial.instance, core };
      layer = initial.layer;
      mode = initial.mode;
      written = initial.marksWrites ? "dirty-pages" : "all";
    }
    const chunks = chunkCount(core.ramSize() >>> 0, chunkBytes);
    const machine = new LiveMachine(
      core, mode, chunkBytes, new Array<ChunkRef>(chunks).fill(null), null, { bytes: 0, tail: new Uint8Array(0) }, new Uint8Array(0),
      { kind: "running" }, null, options, written === "all",
    );
    machine.layer = layer;
    machine.pooled = pooled;
    if (Array.isArray(written)) {
      // An empty core's RAM is zero; only what the loader wrote can differ from a zero chunk.
      for (const [paddr, bytes] of written) machine.chunksOf(Number(paddr), Number(bytes)).forEach((c) => machine.bootWritten.add(c));
    }
    if (written !== "dirty-pages") core.clearDirty();
    if (initial.kind === "elf" && initial.console) machine.input(initial.console);
    return machine;
  }

  static async restore(store: ObjectStore, id: ObjectId, options: SnapshotOptions): Promise<LiveMachine> {
    const started = now();
    const [{ manifest, bytes }, meta] = await Promise.all([readManifest(store, id), readMeta(store, id)]);
    const pooled = await coreFor(manifest, id, options);
    const core = pooled.core;
    const machine = new LiveMachine(
      core, manifest.machine.mode, manifest.chunkBytes, manifest.memory.slice(), manifest.guest,
      { bytes: manifest.console.bytes, tail: manifest.console.tail }, manifest.console.input, manifest.status, store, options, false,
    );
    machine.pooled = pooled;
    machine.counters.objectsRead += 1 + (meta ? 1 : 0);
    machine.counters.bytesRead += bytes;
    machine.markAbsent();
    core.clearDirty();
    if (meta) machine.prefetch(meta.workingSet);
    // The core writes HTIF's fromhost word from the host side, which needs the mailbox page resident.
    const flags = machine.pageFlags();
    for (let page = 0; page < flags.length; page++) {
      if (flags[page]! & PageFlag.Watched) await machine.fill(Math.floor(page / machine.pagesPerChunk));
    }
    await machine.restoreLayer(id);
    // The whole restore, fills included: assigned, since fill() counted its own time meanwhile.
    machine.timings.restoreMs = now() - started;
    return machine;
  }

  private markAbsent(): void {
    const pages = this.ramBytes / PAGE_BYTES;
    for (let c = 0; c < this.memory.length; ) {
      if (this.memory[c] === null) {
        c++;
        continue;
      }
      let end = c;
      while (end < this.memory.length && this.memory[end] !== null) this.absent[end++] = 1;
      const first = c * this.pagesPerChunk;
      this.core.setPagesAbsent(first, Math.min(end * this.pagesPerChunk, pages) - first);
      c = end;
    }
  }

  private async restoreLayer(id: ObjectId): Promise<void> {
    if (this.mode === "system" && this.guestState === null) return;
    const kind = this.guestState?.kind;
    const codec = this.options.layers?.find((l) => l.kind === kind);
    if (!this.guestState || !codec) {
      throw new SnapshotError(
        "incompatible-machine",
        `snapshot ${id} is a ${this.mode}-mode machine with guest layer ${JSON.stringify(kind ?? null)}, which this host cannot restore`,
      );
    }
    if (codec.eagerRestore) {
      // Every stored chunk; RAM above the last of them is zero and gets memory only when the layer asks (resident()).
      let end = this.memory.length;
      while (end > 0 && this.memory[end - 1] === null) end--;
      await this.resident(RAM_BASE_NUMBER, Math.min(end * this.chunkBytes, this.ramBytes));
    }
    const state = await this.readBlob(this.guestState.state);
    try {
      this.layer = await codec.decode(state, this.host);
    } catch (e) {
      if (e instanceof LayerStateError) throw new SnapshotError(e.code, e.message, { cause: e });
      throw e;
    }
  }

  // ---- memory ----------------------------------------------------------------

  private pageFlags(): Uint8Array {
    return new Uint8Array(this.core.memory.buffer, this.core.pageFlags() >>> 0, this.ramBytes / PAGE_BYTES);
  }

  /** The RAM that has wasm memory (the rest is zero); a new view each time, as growing detaches old ones. */
  private ram(): Uint8Array {
    return new Uint8Array(this.core.memory.buffer, this.core.ramOffset() >>> 0, this.core.ramBacked() >>> 0);
  }

  /** Backs RAM offsets below `end` before the host writes or reads a whole chunk there. */
  private back(end: number): void {
    if (this.core.backRam(end) === 0) throw new SnapshotError("incompatible-machine", `the host has no memory for ${end} bytes of guest RAM`);
  }

  /** The layer wrote RAM: persist those chunks, and clear those pages before the instance serves another machine. */
  private hostWrote(paddr: number, length: number): void {
    const chunks = this.chunksOf(paddr, length);
    chunks.forEach((c) => this.hostWritten.add(c));
    if (chunks.length === 0) return;
    const flags = this.pageFlags();
    const first = Math.floor((paddr - RAM_BASE_NUMBER) / PAGE_BYTES);
    const last = Math.min(Math.floor((paddr - RAM_BASE_NUMBER + length - 1) / PAGE_BYTES), flags.length - 1);
    for (let p = first; p <= last; p++) flags[p] = flags[p]! | PageFlag.Written;
  }

  private chunkLength(c: number): number {
    return Math.min(this.chunkBytes, this.ramBytes - c * this.chunkBytes);
  }

  private chunksOf(paddr: number, length: number): number[] {
    const offset = paddr - RAM_BASE_NUMBER;
    if (length <= 0 || offset < 0 || offset >= this.ramBytes) return [];
    const first = Math.floor(offset / this.chunkBytes);
    const last = Math.floor((Math.min(offset + length, this.ramBytes) - 1) / this.chunkBytes);
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }

  /** Makes [paddr, paddr + length) of RAM hold its content and have memory, for the layer to read or write. */
  private async resident(paddr: number, length: number): Promise<void> {
    const chunks = this.chunksOf(paddr, length);
    if (chunks.length === 0) return;
    const wanted = chunks.filter((c) => this.absent[c]);
    this.prefetch(wanted, Infinity);
    for (const c of wanted) await this.fill(c);
    this.back(Math.min(paddr - RAM_BASE_NUMBER + length, this.ramBytes));
  }

  /** Starts fetching chunks ahead; they are filled only when touched. */
  private prefetch(chunks: readonly number[], limit = this.options.prefetchLimit ?? 256): void {
    const wanted = chunks.filter((c) => c < this.memory.length && this.absent[c] && !this.prefetched.has(c)).slice(0, limit);
    const queue = wanted.map((c) => ({ c, resolve: (_: Uint8Array) => {}, reject: (_: unknown) => {} }));
    for (const item of queue) {
      const promise = new Promise<Uint8Array>((resolve, reject) => Object.assign(item, { resolve, reject }));
      promise.catch(() => {}); // reported when the chunk is filled, if it ever is
      this.prefetched.set(item.c, promise);
    }
    this.counters.chunksPrefetched += wanted.length;
    void mapLimit(queue, this.options.concurrency ?? 6, async (item) => {
      try {
        item.resolve(await this.fetchChunk(item.c));
      } catch (e) {
        item.reject(e);
      }
    });
  }

  private async fetchChunk(c: number): Promise<Uint8Array> {
    const id = this.memory[c]!;
    const { content, bytes } = await readChunk(this.store!, id, this.chunkLength(c));
    this.counters.objectsRead++;
    this.counters.bytesRead += bytes;
    this.counters.chunksFetched++;
    return content;
  }

  /** Fills an absent chunk (fetching it unless it was prefetched) and marks its pages present. */
  private async fill(c: number): Promise<void> {
    if (!this.absent[c]) return;
    const started = now();
    const content = await (this.prefetched.get(c) ?? this.fetchChunk(c));
    this.prefetched.delete(c);
    if (!this.absent[c]) return; // filled by a concurrent call meanwhile
    this.back(c * this.chunkBytes + content.length);
    this.ram().set(content, c * this.chunkBytes);
    const first = c * this.pagesPerChunk;
    const pages = this.chunkLength(c) / PAGE_BYTES;
    for (let p = 0; p < pages; p++) this.core.setPagePresent(first + p);
    this.absent[c] = 0;
    this.touched.add(c);
    this.timings.restoreMs += now() - started;
  }

  private async readBlob(blob: ChunkedBytes): Promise<Uint8Array> {
    const out = new Uint8Array(blob.length);
    await mapLimit(blob.chunks.map((id, i) => ({ id, i })), this.options.concurrency ?? 6, async ({ id, i }) => {
      if (id === null) return;
      const length = Math.min(this.chunkBytes, blob.length - i * this.chunkBytes);
      const { content, bytes } = await readChunk(this.store!, id, length);
      this.counters.objectsRead++;
      this.counters.bytesRead += bytes;
      out.set(content, i * this.chunkBytes);
    });
    return out;
  }

  // ---- running ---------------------------------------------------------------

  /**
   * Console input for the guest (`end`: none will follow). With a guest layer
   * it is the process's stdin; without one it goes to the UART. A UART has no
   * end of input, so there `end` only says that nothing more is coming, which
   * the guest cannot be told: it is ignored.
   */
  input(bytes: Uint8Array, end = false): void {
    if (bytes.length === 0 && !end) return;
    if (this.layer) {
      this.layer.input(bytes, end);
    } else if (this.mode === "system") {
      this.uart.push(bytes);
    } else {
      throw new SnapshotError("invalid-input", "this process-mode machine has no guest layer to read console input");
    }
    if (this.status.kind === "waiting-input") this.status = { kind: "running" };
  }

  /** Runs at most `budget` cycles (instructions plus idle cycles, the core's budget unit). */
  async run(budget: bigint): Promise<MachineStatus> {
    this.checkLive();
    const result = await runSlices<MachineStatus>(this.core, budget, "cycles", {
      beforeSlice: () => this.beforeSlice(),
      console: (bytes) => this.emit(bytes, "stdout"),
      exit: (reason) => this.onExit(reason),
      unhandled: (stop) => (stop.kind === "halted" ? stop : { kind: "fault", reason: stop.reason }),
    });
    this.timings.runMs += result.seconds * 1000;
    this.counters.cycles += Number(result.spent);
    this.counters.instructions += Number(result.retired);
    this.status = result.status === "budget" ? { kind: "running" } : result.status;
    return this.status;
  }

  /** The layer's turn between slices, then the UART's: each may bound the next slice. */
  private async beforeSlice(): Promise<SliceVerdict<MachineStatus>> {
    let maxCycles: bigint | undefined;
    if (this.layer?.beforeRun) {
      const gate = await this.layer.beforeRun(this.host);
      if (gate.kind !== "continue") return { kind: "stop", status: gate };
      if (gate.maxCycles !== undefined && gate.maxCycles > 0n) maxCycles = gate.maxCycles;
    }
    this.uart.feed();
    const uartLimit = this.uart.sliceLimit();
    if (uartLimit !== null && uartLimit > 0n && (maxCycles === undefined || uartLimit < maxCycles)) maxCycles = uartLimit;
    return { kind: "continue", maxCycles };
  }

  private async onExit(reason: number): Promise<SliceVerdict<MachineStatus> | undefined> {
    if (reason === RunExit.PageAbsent) {
      this.counters.pageFaults++;
      await this.fill(Math.floor((this.core.absentPage() >>> 0) / this.pagesPerChunk));
      return { kind: "continue" };
    }
    if (this.layer && (reason === RunExit.Ecall || reason === RunExit.Trap || reason === RunExit.Idle)) {
      const verdict = await this.layer.handleExit(reason, this.host);
      return verdict.kind === "continue" ? { kind: "continue" } : { kind: "stop", status: verdict };
    }
    return undefined;
  }

  private emit(bytes: Uint8Array, stream: OutputStream): void {
    this.transcript.write(bytes, stream);
  }

  /** Console output since the last call. */
  takeOutput(): Uint8Array {
    return concatBytes(this.takeOutputSegments().map((s) => s.bytes));
  }

  /** Console output since the last call, stream by stream in the order written (the manifest keeps them merged). */
  takeOutputSegments(): OutputSegment[] {
    return this.transcript.take();
  }

  // ---- persisting ------------------------------------------------------------

  /** Writes the changed chunks, the manifest and the metadata; returns the new snapshot id. */
  async persist(store: ObjectStore, parent: ObjectId | null): Promise<ObjectId> {
    const started = now();
    this.checkLive();
    if (this.transcript.untaken) throw new Error("takeOutput() before persist()");
    this.uart.feed();
    const dirty = this.dirtyChunks();
    const guestDirty = this.guestDirtyChunks();
    this.counters.chunksDirty = dirty.length;
    const written = new Set<ObjectId>();
    // The last dirty chunk may be only partly backed; its rest is zero, and must be hashed as such.
    if (dirty.length > 0) this.back(dirty.at(-1)! * this.chunkBytes + this.chunkLength(dirty.at(-1)!));
    const ram = this.ram();
    const ids = await mapLimit(dirty, this.options.concurrency ?? 6, (c) =>
      this.persistChunk(store, ram.subarray(c * this.chunkBytes, c * this.chunkBytes + this.chunkLength(c)), this.memory[c]!, written),
    );
    const memory = this.memory.slice();
    dirty.forEach((c, i) => {
      if (ids[i] !== memory[c]) this.counters.chunksChanged++;
      memory[c] = ids[i]!;
    });
    const guest = this.layer ? { kind: this.layer.kind, state: await this.persistBlob(store, this.layer.encode(), written) } : null;
    const manifest: Manifest = {
      chunkBytes: this.chunkBytes,
      machine: { mode: this.mode, ramBytes: this.ramBytes, stateVersion: 0 },
      core: saveStateRecord(this.core),
      status: this.status,
      console: { ...this.transcript.stored, input: this.uart.pending },
      guest,
      memory,
    };
    manifest.machine.stateVersion = stateRecordVersion(manifest.core);
    const { id, bytes } = await encodeManifest(manifest);
    await putObject(store, objectKey.manifest(id), bytes, `snapshot ${id}`);
    this.wrote(bytes.length);
    // Hints: what this quantum used. Chunks written at boot are not (they would bring in the whole image).
    const workingSet = [...new Set([...this.touched, ...guestDirty.filter((c) => memory[c] !== null)])].sort((a, b) => a - b);
    const meta = encodeMeta({ snapshot: id, parent, quantum: { ...this.counters, objectsWritten: this.counters.objectsWritten + 1 }, workingSet });
    await putObject(store, objectKey.meta(id), meta, `metadata of ${id}`);
    this.wrote(meta.length);
    // The machine may go on from here: the new snapshot is its base.
    this.memory = memory;
    this.guestState = guest;
    this.core.clearDirty();
    this.hostWritten.clear();
    this.bootWritten.clear();
    this.allWritten = false;
    this.timings.persistMs += now() - started;
    return id;
  }

  /** Chunks that may have changed. RAM past ramBacked() was never written, so no chunk starting there is one. */
  private dirtyChunks(): number[] {
    const flags = this.pageFlags();
    const dirty: number[] = [];
    const backedChunks = Math.ceil((this.core.ramBacked() >>> 0) / this.chunkBytes);
    for (let c = 0; c < backedChunks; c++) {
      let isDirty = this.allWritten || this.hostWritten.has(c) || this.bootWritten.has(c);
      const first = c * this.pagesPerChunk;
      const end = Math.min(first + this.pagesPerChunk, flags.length);
      for (let p = first; !isDirty && p < end; p++) isDirty = (flags[p]! & PageFlag.Dirty) !== 0;
      if (isDirty) dirty.push(c);
    }
    return dirty;
  }

  /** Chunks the guest stored to (dirty pages), or the layer wrote, in this quantum. */
  private guestDirtyChunks(): number[] {
    const flags = this.pageFlags();
    const out = new Set(this.hostWritten);
    for (let p = 0; p < flags.length; p++) if (flags[p]! & PageFlag.Dirty) out.add(Math.floor(p / this.pagesPerChunk));
    return [...out];
  }

  /** The id of a chunk's content (null when all zero), writing it when it is new. */
  private async persistChunk(store: ObjectStore, content: Uint8Array, previous: ChunkRef, written: Set<ObjectId>): Promise<ChunkRef> {
    if (isZero(content)) return null;
    const id = await sha256(content);
    if (id === previous || written.has(id) || store.known?.(objectKey.chunk(id))) return id;
    written.add(id);
    const object = await encodeChunkObject(content.slice(), this.options.codec ?? "lz4");
    await putObject(store, objectKey.chunk(id), object, `chunk ${id}`);
    this.wrote(object.length);
    return id;
  }

  private async persistBlob(store: ObjectStore, bytes: Uint8Array, written: Set<ObjectId>): Promise<ChunkedBytes> {
    const previous = this.guestState?.state;
    const count = chunkCount(bytes.length, this.chunkBytes);
    const indices = Array.from({ length: count }, (_, i) => i);
    const chunks = await mapLimit(indices, this.options.concurrency ?? 6, (i) =>
      this.persistChunk(store, bytes.subarray(i * this.chunkBytes, (i + 1) * this.chunkBytes), previous?.chunks[i] ?? null, written),
    );
    return { length: bytes.length, chunks };
  }

  private wrote(bytes: number): void {
    this.counters.objectsWritten++;
    this.counters.bytesWritten += bytes;
  }

  /**
   * Hands the core over to the next machine this host restores (it keeps one
   * idle instance per module). Only after a quantum that ended without an
   * error: an instance that an exception left halfway may not be whole. The
   * machine cannot be used afterwards.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.pooled) releaseCore(this.options.core, this.pooled);
    this.pooled = null;
  }

  private checkLive(): void {
    if (this.released) throw new Error("this machine was released; its core now belongs to another");
  }

  /** Starts a new quantum's counters (for hosts that keep a machine across quanta). */
  resetCounters(): void {
    for (const key of Object.keys(this.counters) as (keyof QuantumCounters)[]) this.counters[key] = 0;
    this.timings.restoreMs = this.timings.runMs = this.timings.persistMs = 0;
    this.touched.clear();
  }
}

async function coreFor(manifest: Manifest, id: ObjectId, options: SnapshotOptions): Promise<CoreInstance> {
  if (stateRecordVersion(manifest.core) !== manifest.machine.stateVersion) {
    throw new SnapshotError("corrupt-object", `manifest ${id}: machine.stateVersion does not match the core record`);
  }
  const pooled = await acquireCore(options.core);
  const core = pooled.core;
  // On demand: a quantum fills only the chunks it touches, so a fresh instance needs only that much memory.
  if (core.init(manifest.machine.ramBytes, 1) !== 0) {
    throw new SnapshotError("incompatible-machine", `snapshot ${id} has ${manifest.machine.ramBytes} bytes of RAM, more than this core supports`);
  }
  if (!loadStateRecord(core, manifest.core)) {
    throw new SnapshotError(
      "unsupported-version",
      `snapshot ${id} holds core state record version ${manifest.machine.stateVersion}, which this core does not load (rebuild edgevm at the version that wrote it)`,
    );
  }
  return pooled;
}

function isZero(bytes: Uint8Array): boolean {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
