// Programs uploaded as they are: multipart/form-data with a `program` part,
// the other fields as JSON in a `request` part, and guest files as parts
// named by their path; the same runs as the JSON form.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, fixture, TOKEN } from "./support.ts";

const bytes = (name: string) => Uint8Array.from(atob(fixture(name)), (c) => c.charCodeAt(0));

async function postForm(path: string, parts: Record<string, string | Blob>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) form.append(name, value);
  const res = await exports.default.fetch(`http://edgevm.test${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("multipart programs", () => {
  it("runs a job from an uploaded ELF, its request fields and a file part, like the JSON form", async () => {
    const r = await postForm("/v1/jobs", {
      program: new Blob([bytes("linuxCat")]),
      request: JSON.stringify({ args: ["/data/in.txt", "-"], stdin: "and stdin\n" }),
      "/data/in.txt": new Blob(["from a part\n"]),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "exited", exitCode: 1, stdout: "from a part\n" });
    const json = await api("POST", "/v1/jobs", {
      program: fixture("linuxCat"),
      args: ["/data/in.txt", "-"],
      stdin: "and stdin\n",
      files: { "/data/in.txt": btoa("from a part\n") },
    });
    expect(json.body.snapshot).toBe(r.body.snapshot);
  });

  it("creates a machine from an uploaded ELF", async () => {
    const r = await postForm("/v1/machines", { program: new Blob([bytes("hello")]) });
    expect(r.status).toBe(201);
    const step = await api("POST", `/v1/machines/${r.body.id}/step`, {});
    expect(step.body).toMatchObject({ status: "halted", stdout: "hello from edgevm\n" });
  });

  it("names each malformed upload", async () => {
    const program = new Blob([bytes("linuxHello")]);
    const cases: [Record<string, string | Blob>, number, string][] = [
      [{ request: "{}" }, 400, "invalid_request"],
      [{ program, request: "{nope" }, 400, "malformed_json"],
      [{ program, request: JSON.stringify({ surprise: 1 }) }, 400, "invalid_request"],
      [{ program, request: JSON.stringify({ program: "AAAA" }) }, 400, "invalid_request"],
      [{ program, notes: "x" }, 400, "invalid_request"],
      [{ program, request: JSON.stringify({ files: { "/a": "" } }), "/a": "x" }, 400, "invalid_file"],
      [{ program: new Blob(["not an elf"]) }, 400, "not_elf"],
    ];
    for (const [parts, status, code] of cases) {
      const r = await postForm("/v1/jobs", parts);
      expect(r.status, JSON.stringify(Object.keys(parts))).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
  });
});
