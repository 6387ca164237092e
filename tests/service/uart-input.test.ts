// Console input for bare-metal machines inside workerd: tests/guest/cli/echo.c
// reads the UART until '.' and echoes upper-cased.
import { describe, expect, it } from "vitest";
import { api, fixture } from "./support.ts";

describe("bare-metal console input (UART)", () => {
  it("a machine stepped with stdin in two steps prints the upper-cased text and halts", async () => {
    const m = (await api("POST", "/v1/machines", { program: fixture("echo") })).body;
    const url = `/v1/machines/${m.id}`;
    const s1 = await api("POST", `${url}/step`, { stdin: "hello, ", maxInstructions: 100_000 });
    expect(s1.status).toBe(200);
    expect(s1.body).toMatchObject({ status: "running", stdout: "HELLO, " });
    const s2 = await api("POST", `${url}/step`, { stdinBase64: btoa("world.") });
    expect(s2.status).toBe(200);
    expect(s2.body).toMatchObject({ status: "halted", exitCode: 0, stdout: "WORLD\n" });
    expect(s2.body.machine).toMatchObject({ head: s2.body.snapshot, version: 2, console: { tail: "HELLO, WORLD\n" } });
  });

  it("takes input longer than the UART queue, and ignores eof (a UART has none)", async () => {
    const text = "abcdefghij".repeat(60);
    const m = (await api("POST", "/v1/machines", { program: fixture("echo") })).body;
    const s = await api("POST", `/v1/machines/${m.id}/step`, { stdin: `${text}.`, eof: true });
    expect(s.body).toMatchObject({ status: "halted", exitCode: 0, stdout: `${text.toUpperCase()}\n` });
  });

  it("a job's stdin and a new machine's stdin reach the UART", async () => {
    const job = await api("POST", "/v1/jobs", { program: fixture("echo"), stdin: "job." });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ status: "halted", stdout: "JOB\n" });
    const m = (await api("POST", "/v1/machines", { program: fixture("echo"), stdin: "wai" })).body;
    const s = await api("POST", `/v1/machines/${m.id}/step`, { stdin: "ting." });
    expect(s.body).toMatchObject({ status: "halted", stdout: "WAITING\n" });
  });
});
