import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("wasm core", () => {
  it("instantiates", async () => {
    const { instance } = await WebAssembly.instantiate(readFileSync("build/core.wasm"), {});
    expect((instance.exports.version as () => number)()).toBe(1);
  });
});
