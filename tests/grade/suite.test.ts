// The suite contract: the schema, the error code of each kind of bad input,
// the limits, and the JSON Schema served at GET /v1/grade/schema.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { GradeError, parseSuite, parseSuiteText, suiteJsonSchema, SUITE_LIMITS, type GradeErrorCode } from "../../src/grade/index.ts";

const minimal = { name: "lab", tests: [{ name: "t", expect: { stdout: "x\n" } }] };

function codeOf(value: unknown, limits?: Parameters<typeof parseSuite>[1]): GradeErrorCode {
  try {
    parseSuite(value, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(GradeError);
    return (e as GradeError).code;
  }
  throw new Error("the suite was accepted");
}

const withTest = (test: Record<string, unknown>) => ({ name: "lab", tests: [{ name: "t", ...test }] });

describe("the suite schema", () => {
  it("accepts the issue's example and fills in defaults", () => {
    const suite = parseSuite({
      name: "lab1",
      defaults: { maxInstructions: 10000000, ramMiB: 64 },
      tests: [{
        name: "adds", points: 2, stdin: "1 2\n", args: [], env: {}, files: { "/data/in.txt": "text", "/data/b.bin": { base64: "AAE=" } },
        maxInstructions: 1000000, expect: { stdout: "3\n", exitCode: 0 }, visibility: "visible",
      }],
    });
    expect(suite.tests[0]).toMatchObject({ normalize: "none", visibility: "visible", points: 2 });
    expect(parseSuite(minimal).defaults).toEqual({ maxInstructions: 10_000_000, ramMiB: 64 });
    expect(parseSuite(minimal).tests[0]!.points).toBe(1);
  });

  it("accepts every expectation, fractional points and console-expect steps", () => {
    const suite = parseSuite(withTest({
      points: 0.25,
      expect: {
        stdout: "a", stdoutMatches: "^a$", stdoutContains: "a", stderr: "", stderrMatches: "b+", stderrContains: "b",
        exitCode: 3, files: { "/out": "x" }, registers: { a0: 55, x5: "0xffffffffffffffff", pc: "-1" },
        memory: { symbol: "result", words: [1, -1, 4294967295] },
      },
      normalize: "trailing-whitespace", visibility: "after_published",
      steps: [{ send: "ls\n" }, { expect: "\\$ ", within: 5000000 }],
    }));
    expect(suite.tests[0]!.points).toBe(0.25);
  });

  it("gives each kind of bad input its own code", () => {
    expect(codeOf({ name: "lab" })).toBe("invalid_suite");
    expect(codeOf(withTest({ expect: { stdot: "x" } }))).toBe("invalid_suite"); // a misspelt field is not ignored
    expect(codeOf(withTest({ visibility: "secret" }))).toBe("invalid_suite");
    expect(codeOf(withTest({ normalize: "lines" }))).toBe("invalid_suite");
    expect(codeOf(withTest({ expect: { registers: { q9: 1 } } }))).toBe("invalid_suite");
    expect(codeOf(withTest({ files: { "relative/path": "x" } }))).toBe("invalid_suite");
    expect(codeOf(withTest({ files: { "/a/../b": "x" } }))).toBe("invalid_suite");
    expect(codeOf(withTest({ files: { "/a": { base64: "!!!" } } }))).toBe("invalid_suite");
    expect(codeOf({ name: "lab", tests: [{ name: "t" }, { name: "t" }] })).toBe("invalid_suite");
    expect(codeOf(withTest({ expect: { stdoutMatches: "(unclosed" } }))).toBe("invalid_regex");
    expect(codeOf(withTest({ steps: [{ expect: "[", within: 10 }] }))).toBe("invalid_regex");
    expect(codeOf(withTest({ maxInstructions: 2000 }), { maxInstructionsPerTest: 1000, maxRamMiB: 64 })).toBe("budget_too_large");
    expect(codeOf({ ...minimal, defaults: { maxInstructions: 5000 } }, { maxInstructionsPerTest: 1000, maxRamMiB: 64 })).toBe("budget_too_large");
    expect(codeOf(withTest({ steps: [{ expect: "x", within: 5000 }] }), { maxInstructionsPerTest: 1000, maxRamMiB: 64 })).toBe("budget_too_large");
    expect(codeOf({ ...minimal, defaults: { ramMiB: 128 } }, { maxInstructionsPerTest: 1000, maxRamMiB: 64 })).toBe("memory_too_large");
    expect(() => parseSuiteText("{not json")).toThrow(expect.objectContaining({ code: "invalid_suite" }));
  });

  it("bounds every part of a suite", () => {
    const many = { name: "lab", tests: Array.from({ length: SUITE_LIMITS.tests + 1 }, (_, i) => ({ name: `t${i}` })) };
    expect(codeOf(many)).toBe("suite_too_large");
    expect(codeOf(withTest({ stdin: "x".repeat(SUITE_LIMITS.inputChars + 1) }))).toBe("suite_too_large");
    expect(codeOf(withTest({ args: Array.from({ length: SUITE_LIMITS.args + 1 }, () => "a") }))).toBe("suite_too_large");
    expect(codeOf(withTest({ expect: { stdoutMatches: "a".repeat(SUITE_LIMITS.regexChars + 1) } }))).toBe("suite_too_large");
    expect(codeOf(withTest({ points: 1e9 }))).toBe("suite_too_large");
    expect(codeOf(withTest({ points: -1 }))).toBe("invalid_suite");
  });

  it("says where the problem is", () => {
    try {
      parseSuite(withTest({ expect: { exitCode: 300 } }));
    } catch (e) {
      expect((e as Error).message).toMatch(/tests\.0\.expect\.exitCode/);
      expect((e as GradeError).details?.issues).toBeInstanceOf(Array);
      return;
    }
    throw new Error("accepted");
  });

  it("has a JSON Schema with the contract's field names", () => {
    const schema = suiteJsonSchema() as { properties: Record<string, any> };
    expect(Object.keys(schema.properties).sort()).toEqual(["defaults", "name", "tests"]);
    const test = schema.properties.tests.items;
    expect(Object.keys(test.properties).sort()).toEqual(
      ["args", "env", "expect", "files", "maxInstructions", "name", "normalize", "points", "stdin", "steps", "visibility"],
    );
    expect(Object.keys(test.properties.expect.properties).sort()).toEqual(
      ["exitCode", "files", "memory", "registers", "stderr", "stderrContains", "stderrMatches", "stdout", "stdoutContains", "stdoutMatches"],
    );
    expect(test.properties.visibility.enum).toEqual(["visible", "hidden", "after_due_date", "after_published"]);
    expect(test.properties.normalize.enum).toEqual(["trailing-whitespace", "whitespace", "none"]);
    expect(schema.properties.defaults.properties.maxInstructions.type).toBe("integer");
  });

  it("accepts the example course's suites", () => {
    for (const lab of ["lab0-fib", "lab1-sum"]) {
      expect(parseSuiteText(readFileSync(`examples/grading/${lab}/suite.json`, "utf8")).tests.length).toBeGreaterThan(2);
    }
  });

  it("publishes its JSON Schema in docs/, and that schema takes the examples and refuses what zod refuses", () => {
    const published = JSON.parse(readFileSync("docs/grade-suite.schema.json", "utf8"));
    expect(published).toEqual(suiteJsonSchema()); // regenerate: npx edgevm grade --schema -o docs/grade-suite.schema.json
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(published);
    for (const lab of ["lab0-fib", "lab1-sum"]) {
      const suite = JSON.parse(readFileSync(`examples/grading/${lab}/suite.json`, "utf8"));
      expect(validate(suite), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(validate(withTest({ expect: { stdot: "x" } }))).toBe(false);
    expect(validate(withTest({ visibility: "secret" }))).toBe(false);
    expect(validate({ name: "lab" })).toBe(false);
  });
});
