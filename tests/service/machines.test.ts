// Machines end to end inside workerd: create, read, step, fork, delete; the
// compare-and-swap rule under concurrent steps; ownership by token.
import { describe, expect, it } from "vitest";
import { api, fixture } from "./support.ts";

async function newMachine(program = "intloop") {
  const r = await api("POST", "/v1/machines", { program: fixture(program) });
  expect(r.status).toBe(201);
  return r.body;
}

describe("machines", () => {
  it("is created from a program without running it, and read back", async () => {
    const m = await newMachine();
    expect(m).toMatchObject({ version: 0, status: "running", exitCode: null, console: { bytes: 0, tail: "" } });
    expect(m.snapshotUrl).toBe(`/s/${m.head}`);
    const read = await api("GET", `/v1/machines/${m.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(m);
  });

  it("steps within the budget and moves its head each time", async () => {
    const m = await newMachine();
    const s1 = await api("POST", `/v1/machines/${m.id}/step`, { maxInstructions: 1000 });
    expect(s1.status).toBe(200);
    expect(s1.body).toMatchObject({ status: "running", instructions: 1000, parent: m.head });
    expect(s1.body.machine).toMatchObject({ id: m.id, head: s1.body.snapshot, version: 1 });
    const s2 = await api("POST", `/v1/machines/${m.id}/step`, { maxInstructions: 1000 });
    expect(s2.body.parent).toBe(s1.body.snapshot);
    expect(s2.body.machine.version).toBe(2);
    // The shared snapshot lists its lineage.
    const shared = await api("GET", `/s/${s2.body.snapshot}`, undefined, { token: null });
    expect(shared.body.parents).toEqual([s1.body.snapshot, m.head]);
  });

  it("is created from a snapshot id, and forks diverge without touching each other", async () => {
    const a = await newMachine();
    await api("POST", `/v1/machines/${a.id}/step`, { maxInstructions: 5000 });
    const fork = await api("POST", `/v1/machines/${a.id}/fork`);
    expect(fork.status).toBe(201);
    const headA = (await api("GET", `/v1/machines/${a.id}`)).body.head;
    expect(fork.body.head).toBe(headA);
    expect(fork.body.id).not.toBe(a.id);
    // Different budgets: the fork and its source go separate ways.
    const sf = await api("POST", `/v1/machines/${fork.body.id}/step`, { maxInstructions: 3000 });
    const sa = await api("POST", `/v1/machines/${a.id}/step`, { maxInstructions: 7000 });
    expect(sf.body.snapshot).not.toBe(sa.body.snapshot);
    expect((await api("GET", `/v1/machines/${a.id}`)).body.head).toBe(sa.body.snapshot);
    expect((await api("GET", `/v1/machines/${fork.body.id}`)).body.head).toBe(sf.body.snapshot);
    // A machine from the source's old head is at the same state as the fork was.
    const fromSnapshot = await api("POST", "/v1/machines", { snapshot: headA });
    expect(fromSnapshot.status).toBe(201);
    const again = await api("POST", `/v1/machines/${fromSnapshot.body.id}/step`, { maxInstructions: 3000 });
    expect(again.body.snapshot).toBe(sf.body.snapshot);
    // docs/architecture.md's spelling of the same thing.
    const forked = await api("POST", `/v1/snapshots/${headA}/fork`);
    expect(forked.status).toBe(201);
    expect(forked.body).toMatchObject({ head: headA, version: 0 });
    expect((await api("POST", `/v1/snapshots/${"0".repeat(64)}/fork`)).status).toBe(404);
  });

  it("lets exactly one of two concurrent steps win; the other gets 409 with the current head", async () => {
    const m = await newMachine();
    const [x, y] = await Promise.all([
      api("POST", `/v1/machines/${m.id}/step`, { maxInstructions: 2000 }),
      api("POST", `/v1/machines/${m.id}/step`, { maxInstructions: 3000 }),
    ]);
    const statuses = [x.status, y.status].sort();
    expect(statuses).toEqual([200, 409]);
    const won = x.status === 200 ? x : y;
    const lost = x.status === 200 ? y : x;
    expect(lost.body.error.code).toBe("conflict");
    expect(lost.body.error.details.head).toBe(won.body.snapshot);
    const now = await api("GET", `/v1/machines/${m.id}`);
    expect(now.body).toMatchObject({ head: won.body.snapshot, version: 1 });
  });

  it("belongs to the token that created it: another token gets 404", async () => {
    const m = await newMachine("hello");
    const other = { token: "dev-token-2" };
    for (const [method, path] of [
      ["GET", `/v1/machines/${m.id}`],
      ["POST", `/v1/machines/${m.id}/step`],
      ["POST", `/v1/machines/${m.id}/fork`],
      ["DELETE", `/v1/machines/${m.id}`],
    ] as const) {
      const r = await api(method, path, method === "POST" ? {} : undefined, other);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe("machine_not_found");
    }
    // The owner still has it, unchanged.
    expect((await api("GET", `/v1/machines/${m.id}`)).body).toMatchObject({ head: m.head, version: 0 });
    // But its snapshot is a public capability: the other token may start its own machine from it.
    expect((await api("POST", "/v1/machines", { snapshot: m.head }, other)).status).toBe(201);
  });

  it("is deleted; its snapshots stay readable", async () => {
    const m = await newMachine("hello");
    const d = await api("DELETE", `/v1/machines/${m.id}`);
    expect(d).toMatchObject({ status: 200, body: { id: m.id, deleted: true } });
    expect((await api("GET", `/v1/machines/${m.id}`)).status).toBe(404);
    expect((await api("POST", `/v1/machines/${m.id}/step`, {})).status).toBe(404);
    expect((await api("GET", `/s/${m.head}`, undefined, { token: null })).status).toBe(200);
  });

  it("steps a stopped machine without changing it", async () => {
    const m = await newMachine("hello");
    const s = await api("POST", `/v1/machines/${m.id}/step`, {});
    expect(s.body).toMatchObject({ status: "halted", exitCode: 3, stdout: "hello from edgevm\n" });
    const again = await api("POST", `/v1/machines/${m.id}/step`, {});
    expect(again.body).toMatchObject({ status: "halted", exitCode: 3, stdout: "", instructions: 0, snapshot: s.body.snapshot });
    expect(again.body.machine.version).toBe(1);
  });
});
