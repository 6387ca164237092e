import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Guest programs the service tests send: workerd has no file system, so they
// travel as base64 through vitest's provide/inject.
const SERVICE_FIXTURES: Record<string, string> = {
  hello: "tests/guest/cli/hello.elf",
  spin: "tests/guest/cli/spin.elf",
  printThenSpin: "tests/guest/cli/print-then-spin.elf",
  echo: "tests/guest/cli/echo.elf",
  intloop: "bench/bin/intloop-small.elf",
  linuxHello: "tests/guest/linux/bin/hello",
  linuxCat: "tests/guest/linux/bin/cat",
  linuxArgs: "tests/guest/linux/bin/args",
  linuxExit: "tests/guest/linux/bin/exit",
};
const serviceFixtures = Object.fromEntries(
  Object.entries(SERVICE_FIXTURES).map(([name, path]) => [name, readFileSync(path).toString("base64")]),
);

// Two projects: the core, VM and CLI run under Node; the service runs inside workerd.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["tests/unit/**/*.test.ts", "tests/conformance/**/*.test.ts", "tests/cli/**/*.test.ts", "tests/web/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: {
          name: "workers",
          include: ["tests/service/**/*.test.ts"],
          provide: { serviceFixtures },
        },
      },
    ],
  },
});
