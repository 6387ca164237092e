// Linux programs (process mode) through the service: stdout and stderr apart,
// argv, env and files, exit statuses and signals, and a console that takes
// input across steps of a machine.
import { describe, expect, it } from "vitest";
import { api, fixture } from "./support.ts";

const b64 = (text: string) => btoa(text);

describe("Linux jobs", () => {
  it("runs a static glibc hello world", async () => {
    const r = await api("POST", "/v1/jobs", { program: fixture("linuxHello") });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "exited", exitCode: 0, signal: null, stdout: "Hello, world!\n", stderr: "" });
    const shared = await api("GET", `/s/${r.body.snapshot}`, undefined, { token: null });
    expect(shared.body).toMatchObject({ mode: "process", status: "exited", exitCode: 0, console: { tail: "Hello, world!\n" } });
  });

  it("passes args, env and files, and keeps stdout and stderr apart", async () => {
    const args = await api("POST", "/v1/jobs", {
      program: fixture("linuxArgs"),
      args: ["7", "two words", ""],
      env: { HOME: "/home/guest", EMPTY: "", GREETING: "hi there" },
    });
    expect(args.body.stdout).toContain('argv[2] = "two words" (9 bytes)');
    expect(args.body.stdout).toContain('getenv(GREETING) = "hi there"');
    const cat = await api("POST", "/v1/jobs", {
      program: fixture("linuxCat"),
      args: ["/data/in.txt", "/missing"],
      files: { "/data/in.txt": b64("from a file\n") },
    });
    expect(cat.body).toMatchObject({
      status: "exited",
      exitCode: 1,
      stdout: "from a file\n",
      stderr: "cat: /missing: No such file or directory\n",
    });
  });

  it("gives a job its stdin, then end-of-file", async () => {
    const r = await api("POST", "/v1/jobs", { program: fixture("linuxCat"), stdin: "line one\nline two\n" });
    expect(r.body).toMatchObject({ status: "exited", exitCode: 0, stdout: "line one\nline two\n" });
  });

  it("reports a program killed by a signal with 128+N, the signal and why", async () => {
    const r = await api("POST", "/v1/jobs", { program: fixture("linuxExit"), args: ["segv"] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "exited", exitCode: 139, signal: 11 });
    expect(r.body.reason).toMatch(/0x/);
  });

  it("refuses files it cannot place", async () => {
    for (const path of ["relative/path", "/a/../b"]) {
      const r = await api("POST", "/v1/jobs", { program: fixture("linuxHello"), files: { [path]: b64("x") } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("invalid_file");
      expect(r.body.error.message).toContain(path);
    }
    // A path the file system cannot hold (a file where a directory must be) is the program's load error.
    const r = await api("POST", "/v1/jobs", { program: fixture("linuxHello"), files: { "/tmp": b64("x") } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_program");
  });
});

describe("Linux machines", () => {
  it("take stdin across steps, wait for more, and end at eof", async () => {
    const m = await api("POST", "/v1/machines", { program: fixture("linuxCat") });
    expect(m.status).toBe(201);
    const url = `/v1/machines/${m.body.id}`;
    const s1 = await api("POST", `${url}/step`, { stdin: "first\n" });
    expect(s1.body).toMatchObject({ status: "waiting-input", stdout: "first\n" });
    // Nothing new: the machine keeps waiting and does not move.
    const idle = await api("POST", `${url}/step`, {});
    expect(idle.body).toMatchObject({ status: "waiting-input", stdout: "", instructions: 0, snapshot: s1.body.snapshot });
    const s2 = await api("POST", `${url}/step`, { stdinBase64: b64("second\n") });
    expect(s2.body).toMatchObject({ status: "waiting-input", stdout: "second\n" });
    const s3 = await api("POST", `${url}/step`, { stdin: "last", eof: true });
    expect(s3.body).toMatchObject({ status: "exited", exitCode: 0, stdout: "last" });
    expect(s3.body.machine).toMatchObject({ status: "exited", console: { tail: "first\nsecond\nlast" } });
    // The same input in one job ends in the same state.
    const job = await api("POST", "/v1/jobs", { program: fixture("linuxCat"), stdin: "first\nsecond\nlast" });
    expect(job.body.stdout).toBe("first\nsecond\nlast");
  });

  it("forks a waiting machine and the forks diverge on their own input", async () => {
    const m = await api("POST", "/v1/machines", { program: fixture("linuxCat"), stdin: "shared\n" });
    const url = `/v1/machines/${m.body.id}`;
    expect((await api("POST", `${url}/step`, {})).body).toMatchObject({ status: "waiting-input", stdout: "shared\n" });
    const fork = (await api("POST", `${url}/fork`)).body;
    const a = await api("POST", `${url}/step`, { stdin: "to a", eof: true });
    const b = await api("POST", `/v1/machines/${fork.id}/step`, { stdin: "to b", eof: true });
    expect(a.body.stdout).toBe("to a");
    expect(b.body.stdout).toBe("to b");
    expect(a.body.snapshot).not.toBe(b.body.snapshot);
    // Rerunning the fork's input from the shared head reproduces the fork's end exactly.
    const rerun = await api("POST", `/s/${fork.head}/run`, { stdin: "to b", eof: true });
    expect(rerun.body.snapshot).toBe(b.body.snapshot);
  });
});
