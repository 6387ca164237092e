// The input gaps a hostile pass found (issue 18, item 5): each bad request
// gets its own 4xx JSON error instead of being read some other way.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, fixture, TOKEN } from "./support.ts";

function expectError(r: { status: number; body: any }, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code, JSON.stringify(r.body)).toBe(code);
  expect(typeof r.body.error.message).toBe("string");
}

const json = { "content-type": "application/json" };
const bytes = (name: string) => Uint8Array.from(atob(fixture(name)), (c) => c.charCodeAt(0));

describe("input gaps", () => {
  it("refuses a __proto__ key in files or env instead of dropping it", async () => {
    const program = fixture("linuxHello");
    for (const field of ["files", "env"]) {
      // JSON.stringify of an object literal cannot make an own __proto__ key, so the body is written by hand.
      const raw = `{"program":"${program}","${field}":{"__proto__":"QUFB","/ok":"QUFB"}}`;
      const r = await api("POST", "/v1/jobs", undefined, { raw, headers: json });
      expectError(r, 400, "invalid_request");
      expect(r.body.error.message).toContain("__proto__");
    }
    // A nested prototype trick is refused the same way, not merged into the schema's view.
    const r = await api("POST", "/v1/jobs", undefined, { raw: `{"program":"${program}","__proto__":{"memoryMiB":100000}}`, headers: json });
    expectError(r, 400, "invalid_request");
  });

  it("refuses a body without a content-type, but still takes an empty one", async () => {
    // A string body would get text/plain from fetch; bytes go without any content-type.
    const post = async (path: string, body?: string) => {
      const res = await exports.default.fetch(`http://edgevm.test${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
        ...(body !== undefined && { body: new TextEncoder().encode(body) }),
      });
      expect(res.headers.get("content-type") ?? "").toContain("application/json");
      return { status: res.status, body: (await res.json()) as any };
    };
    expectError(await post("/v1/jobs", JSON.stringify({ program: fixture("hello") })), 415, "unsupported_media_type");
    const m = await api("POST", "/v1/machines", { program: fixture("hello") });
    expect(m.status).toBe(201);
    expectError(await post(`/v1/machines/${m.body.id}/step`, "{}"), 415, "unsupported_media_type");
    const step = await post(`/v1/machines/${m.body.id}/step`);
    expect(step.status, JSON.stringify(step.body)).toBe(200);
    expect(step.body.stdout).toBe("hello from edgevm\n");
  });

  it("refuses unpadded and other non-canonical base64 with invalid_base64", async () => {
    const program = fixture("linuxHello");
    // "QUFB" is canonical; each of these decodes under atob's forgiving rules but is not RFC 4648 base64.
    for (const content of ["QUE", "QQ", "QR==", "QUF=", "Q"]) {
      expectError(await api("POST", "/v1/jobs", { program, files: { "/a.txt": content } }), 400, "invalid_base64");
    }
    // "\x7fELF" without its padding: decoded, it would be refused as not_elf.
    expectError(await api("POST", "/v1/jobs", { program: "f0VMRg" }), 400, "invalid_base64");
    const m = await api("POST", "/v1/machines", { program: fixture("echo") });
    expect(m.status).toBe(201);
    expectError(await api("POST", `/v1/machines/${m.body.id}/step`, { stdinBase64: "aGk" }), 400, "invalid_base64");
    const ok = await api("POST", "/v1/jobs", { program, files: { "/a.txt": "QUFB", "/b.txt": "QQ==", "/c.txt": "QUE=", "/d.txt": "" } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("refuses a second multipart program part", async () => {
    const form = new FormData();
    form.append("program", new Blob([bytes("linuxHello")]));
    form.append("program", new Blob([bytes("linuxExit")]));
    const res = await exports.default.fetch("http://edgevm.test/v1/jobs", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    expectError({ status: res.status, body: await res.json() }, 400, "invalid_request");
  });

  it("refuses guest paths that name a directory or are not canonical with invalid_file", async () => {
    const program = fixture("linuxHello");
    for (const path of ["/", "/a/", "/a//b", "/a/./b", "/a/../b", "a"]) {
      expectError(await api("POST", "/v1/jobs", { program, files: { [path]: "" } }), 400, "invalid_file");
    }
  });
});
