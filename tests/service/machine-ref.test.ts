// Machine refs in their Durable Object: creation, compare-and-swap moves,
// and concurrent swaps of one machine (exactly one wins).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

function ref(name: string) {
  return env.MACHINES.get(env.MACHINES.idFromName(name));
}

describe("MachineRef", () => {
  it("is created once, with version 0", async () => {
    const m = ref("create-once");
    expect(await m.read()).toBeNull();
    expect(await m.create("owner-a", "s0")).toEqual({ ok: true, record: { owner: "owner-a", head: "s0", version: 0 } });
    expect(await m.create("owner-b", "s9")).toEqual({ ok: false, record: { owner: "owner-a", head: "s0", version: 0 } });
  });

  it("moves only from the current head", async () => {
    const m = ref("swap");
    await m.create("o", "s0");
    expect(await m.swap("s0", "s1")).toMatchObject({ ok: true, record: { head: "s1", version: 1 } });
    expect(await m.swap("s0", "s2")).toMatchObject({ ok: false, record: { head: "s1", version: 1 } });
    expect((await m.read())?.head).toBe("s1");
  });

  it("lets exactly one of many concurrent swaps from the same head win", async () => {
    const m = ref("race");
    await m.create("o", "base");
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => m.swap("base", `next-${i}`)));
    const winners = results.filter((x) => x.ok);
    expect(winners).toHaveLength(1);
    const head = (await m.read())!.head;
    expect(head).toBe(winners[0]!.record!.head);
    for (const r of results.filter((x) => !x.ok)) expect(r.record?.head).toBe(head);
  });

  it("forgets a removed machine", async () => {
    const m = ref("remove");
    await m.create("o", "s0");
    expect(await m.remove()).toBe(true);
    expect(await m.read()).toBeNull();
    expect(await m.remove()).toBe(false);
  });
});
