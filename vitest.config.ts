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
  // Grading: the example course's suites and submissions.
  lab1Suite: "examples/grading/lab1-sum/suite.json",
  lab1Sum: "examples/grading/lab1-sum/submissions/sum.elf",
  lab1Crash: "examples/grading/lab1-sum/submissions/sum-crash.elf",
  lab1Slow: "examples/grading/lab1-sum/submissions/sum-slow.elf",
  lab0Suite: "examples/grading/lab0-fib/suite.json",
  lab0Fib: "examples/grading/lab0-fib/submissions/fib.elf",
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
          include: ["tests/unit/**/*.test.ts", "tests/conformance/**/*.test.ts", "tests/cli/**/*.test.ts", "tests/web/**/*.test.ts", "tests/grade/**/*.test.ts"],
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
