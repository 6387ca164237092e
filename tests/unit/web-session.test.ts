// The machine page's engine (src/web/session.ts) under Node: the same code
// the browser's Web Worker runs. A state reached through it, quantum by
// small quantum with console input arriving while the guest waits, has the
// id that step() (the CLI's and the Worker's path) reaches from the same
// start with the same input; bundles carry it to another store intact.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportBundle, importBundle } from "../../src/snapshot/bundle.ts";
import { createSnapshot, MemoryStore, readManifest, step } from "../../src/snapshot/index.ts";
import { linuxLayerCodec, prepareLinuxMachine } from "../../src/vm/linux/linux-layer.ts";
import { initialFromProgram, programBytes, ProgramProblem, useAssembler } from "../../src/web/program.ts";
import { Session } from "../../src/web/session.ts";

const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const options = { core, layers: [linuxLayerCodec] };
const program = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function catStart(store: MemoryStore): Promise<string> {
  const initial = await initialFromProgram(core, program("tests/guest/linux/bin/cat"));
  return createSnapshot(initial, store, options);
}

async function runUntilIdle(session: Session, quantum: bigint): Promise<string> {
  let out = "";
  for (let i = 0; i < 10_000 && session.runnable; i++) for (const s of await session.run(quantum)) out += text(s.bytes);
  return out;
}

describe("the page's session", () => {
  it("reaches the ids step() reaches from the same input, whatever its quantum", async () => {
    const service = new MemoryStore();
    const start = await catStart(service);
    const viaStep = await step(start, { console: new TextEncoder().encode("one\n") }, 10_000_000n, service, options);
    expect(viaStep.status.kind).toBe("waiting-input");
    const ended = await step(viaStep.snapshotId, { consoleEnd: true }, 10_000_000n, service, options);
    expect(ended.status).toMatchObject({ kind: "exited", exitCode: 0 });
    for (const quantum of [997n, 1_000_000n]) {
      const session = await Session.restore(service, start, options);
      expect(await runUntilIdle(session, quantum)).toBe("");
      expect(session.state.status.kind).toBe("waiting-input");
      session.input(new TextEncoder().encode("one\n"));
      expect(await runUntilIdle(session, quantum)).toBe("one\n");
      expect(await session.persist()).toBe(viaStep.snapshotId);
      session.input(new Uint8Array(0), true);
      await runUntilIdle(session, quantum);
      expect(await session.persist()).toBe(ended.snapshotId);
      // Nothing was written to the service: the page's writes stay in its own store.
      expect(service.objects.has(`manifests/${ended.snapshotId}`)).toBe(true); // (step wrote it)
      expect(session.store.wroteLocally(`manifests/${ended.snapshotId}`)).toBe(true);
      await session.reset();
      expect(session.state.base).toBe(start);
      session.release();
    }
  });

  it("boots a program the way POST /v1/machines does and bundles it for another store", async () => {
    const session = await Session.boot(() => initialFromProgram(core, program("tests/guest/linux/bin/hello")), options);
    const first = session.state.base!;
    expect(await runUntilIdle(session, 100_000n)).toBe("Hello, world!\n");
    expect(session.state.status).toMatchObject({ kind: "exited", exitCode: 0 });
    const { id, bytes } = await session.bundle(true);
    const elsewhere = new MemoryStore();
    const imported = await importBundle(bytes, elsewhere);
    expect(imported.snapshot).toBe(id);
    expect(text((await readManifest(elsewhere, id)).manifest.console.tail)).toBe("Hello, world!\n");
    // The service's way to the first snapshot gives the same id.
    const service = new MemoryStore();
    const prepared = await prepareLinuxMachine(core, program("tests/guest/linux/bin/hello"), {
      args: ["/program"], env: [], files: [], stdin: new Uint8Array(0), stdinClosed: false, seed: 0,
      memoryLimit: 64 << 20, outputLimit: 1 << 20, exePath: "/program",
    });
    expect(await createSnapshot(prepared, service, options)).toBe(first);
    session.release();
  });

  it("assembles a pasted .s source, reports its errors, and refuses what is not a program", async () => {
    const source = "  .globl _start\n_start:\n  li a0, 7\n  li a7, 93\n  ecall\n";
    const session = await Session.boot(() => initialFromProgram(core, new TextEncoder().encode(source)), options);
    await runUntilIdle(session, 100_000n);
    expect(session.state.status).toMatchObject({ kind: "exited", exitCode: 7 });
    session.release();
    expect(() => programBytes(new TextEncoder().encode("_start:\n  bogus a0\n"))).toThrow(ProgramProblem);
    useAssembler(null);
    expect(() => programBytes(new TextEncoder().encode(source))).toThrow(/assembler/);
    expect(() => programBytes(new Uint8Array([1, 2, 3, 0]))).toThrow(ProgramProblem);
  });
});

describe("edgevm import", () => {
  it("stores a bundle file so that edgevm resume runs it; a damaged one is exit status 2", async () => {
    const service = new MemoryStore();
    const start = await catStart(service);
    const dir = mkdtempSync(join(tmpdir(), "edgevm-import-"));
    writeFileSync(join(dir, "cat.evmb"), await exportBundle(service, start));
    const cli = new URL("../../bin/edgevm.mjs", import.meta.url).pathname;
    const out = execFileSync(process.execPath, [cli, "import", join(dir, "cat.evmb"), "--store", join(dir, "store")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out.trim()).toBe(start);
    writeFileSync(join(dir, "in.txt"), "two\n");
    const resumed = spawnSync(process.execPath, [cli, "resume", start, "--store", join(dir, "store"), "--stdin", join(dir, "in.txt")], { encoding: "utf8" });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toBe("two\n");
    const damaged = readFileSync(join(dir, "cat.evmb"));
    damaged[8 + 37 + 10]! ^= 0x01; // inside the manifest record
    writeFileSync(join(dir, "bad.evmb"), damaged);
    const bad = spawnSync(process.execPath, [cli, "import", join(dir, "bad.evmb"), "--store", join(dir, "other")], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^edgevm: .*bad\.evmb: /);
    const usage = spawnSync(process.execPath, [cli, "import", join(dir, "cat.evmb")], { encoding: "utf8" });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("import needs --store DIR");
  });
});
