// POST /v1/jobs end to end inside workerd: programs run to completion, and a
// job longer than its request continues through the machine it becomes.
import { describe, expect, it } from "vitest";
import { api, fixture } from "./support.ts";

describe("POST /v1/jobs", () => {
  it("runs a program that prints and exits", async () => {
    const r = await api("POST", "/v1/jobs", { program: fixture("hello") });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "halted", exitCode: 3, stdout: "hello from edgevm\n", stderr: "", outputTruncated: false, parent: null });
    expect(r.body.instructions).toBeGreaterThan(100);
    expect(r.body.snapshot).toMatch(/^[0-9a-f]{64}$/);
    expect(r.body.machine).toBeUndefined();
    // The final snapshot is shared by URL and shows the same end.
    const s = await api("GET", `/s/${r.body.snapshot}`, undefined, { token: null });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ id: r.body.snapshot, status: "halted", exitCode: 3, console: { tail: "hello from edgevm\n" } });
  });

  it("gives the same snapshot id for the same job, on every run", async () => {
    const a = await api("POST", "/v1/jobs", { program: fixture("hello") });
    const b = await api("POST", "/v1/jobs", { program: fixture("hello") });
    expect(a.body.snapshot).toBe(b.body.snapshot);
  });

  it("answers 202 with a machine when the budget runs out, and the machine finishes the job", async () => {
    const first = await api("POST", "/v1/jobs", { program: fixture("intloop"), maxInstructions: 4_000_000 });
    expect(first.status).toBe(202);
    expect(first.body.status).toBe("running");
    expect(first.body.instructions).toBe(4_000_000);
    expect(first.body.machine.id).toMatch(/^m_[0-9a-f]{32}$/);
    const url = first.body.machine.url;
    expect(url).toBe(`/v1/machines/${first.body.machine.id}`);
    let stdout = first.body.stdout;
    let total = first.body.instructions;
    let step;
    for (let i = 0; i < 10; i++) {
      step = await api("POST", `${url}/step`, { maxInstructions: 4_000_000 });
      expect(step.status).toBe(200);
      stdout += step.body.stdout;
      total += step.body.instructions;
      if (step.body.status !== "running") break;
    }
    expect(step!.body).toMatchObject({ status: "halted", exitCode: 0 });
    expect(stdout).toContain("ok\n");
    // In one go, the same job ends in the same state: quanta and requests do not change the machine.
    const whole = await api("POST", "/v1/jobs", { program: fixture("intloop") });
    expect(whole.status).toBe(200);
    expect(whole.body.stdout).toBe(stdout);
    expect(whole.body.instructions).toBe(total);
    expect(whole.body.snapshot).toBe(step!.body.snapshot);
  });
});
