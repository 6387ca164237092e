// `edgevm grade` end to end (the built bundle, as a course's run_autograder
// calls it): every format, the Gradescope output against a JSON Schema written
// from Gradescope's specification, the JUnit output against the JUnit XSD's
// structure, exit statuses, --test, --store with its resume commands, folders.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { checkJunit, parseXml } from "../support/junit-checker.ts";

const LAB1 = "examples/grading/lab1-sum";
const SUITE = `${LAB1}/suite.json`;
const REF = `${LAB1}/submissions/sum.elf`;
const CRASH = `${LAB1}/submissions/sum-crash.elf`;
const tmp = mkdtempSync(join(tmpdir(), "edgevm-grade-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function edgevm(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/edgevm.mjs", ...args], { encoding: "utf8", timeout: 100_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const gradescopeSchema = JSON.parse(readFileSync("tests/support/gradescope-results.schema.json", "utf8"));
const validateGradescope = new Ajv({ allErrors: true }).compile(gradescopeSchema);

describe("edgevm grade", () => {
  it("prints a line per test and the score, exit 0 when every test passed", () => {
    const r = edgevm("grade", SUITE, REF);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1 + 9 + 1);
    expect(lines[1]).toMatch(/^PASS +2\/2  adds two numbers$/);
    expect(lines.at(-1)).toBe("score 10/10 (9 of 9 tests passed)");
  });

  it("exits 1 when a test failed, with the reason and the reproduce command", () => {
    const r = edgevm("grade", SUITE, CRASH);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL +0\/1  empty input\n +killed by SIGSEGV: read at 0x0, pc 0x[0-9a-f]+\n +reproduce: edgevm resume [0-9a-f]{64} --store DIR --max-insns 1000000\n/);
    expect(r.stdout).toMatch(/score 9\/10 \(8 of 9 tests passed\)\n$/);
  });

  it("writes Gradescope's results.json, valid against its schema", () => {
    const out = join(tmp, "results.json");
    const r = edgevm("grade", SUITE, CRASH, "--format", "gradescope", "-o", out);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe("");
    const results = JSON.parse(readFileSync(out, "utf8"));
    expect(validateGradescope(results), JSON.stringify(validateGradescope.errors)).toBe(true);
    expect(results.score).toBe(9);
    expect(typeof results.execution_time).toBe("number");
    expect(results.tests).toHaveLength(9);
    expect(results.tests[2]).toMatchObject({ name: "empty input", number: "3", score: 0, max_score: 1, status: "failed", visibility: "visible", output_format: "text" });
    expect(results.tests[2].output).toMatch(/killed by SIGSEGV/);
    expect(results.tests.map((t: { visibility: string }) => t.visibility)).toEqual(
      ["visible", "visible", "visible", "visible", "visible", "hidden", "hidden", "after_due_date", "after_published"],
    );
    // The schema is not a rubber stamp: a misspelt or mistyped field fails it.
    expect(validateGradescope({ ...results, tests: [{ ...results.tests[0], maxscore: 1 }] })).toBe(false);
    expect(validateGradescope({ ...results, tests: [{ ...results.tests[0], status: "ok" }] })).toBe(false);
  });

  it("writes JUnit XML that the JUnit schema's structure accepts", () => {
    const r = edgevm("grade", SUITE, CRASH, "--format", "junit");
    expect(r.status).toBe(1);
    expect(checkJunit(r.stdout)).toEqual([]);
    const root = parseXml(r.stdout);
    const suite = root.children[0]!;
    expect(suite.attributes).toMatchObject({ name: "lab1-sum", tests: "9", failures: "1" });
    const failed = suite.children.find((c) => c.attributes.name === "empty input")!;
    expect(failed.children[0]!.name).toBe("failure");
    expect(failed.children[0]!.attributes.message).toMatch(/^killed by SIGSEGV/);
    // ...and the checker catches what a reporter would reject.
    expect(checkJunit(r.stdout.replaceAll('tests="9"', 'tests="8"'))).not.toEqual([]);
    expect(checkJunit(r.stdout.replace("<failure", "<failed"))).not.toEqual([]);
    expect(checkJunit(r.stdout.replace("</testsuite>", ""))).not.toEqual([]);
  });

  const xmllint = spawnSync("xmllint", ["--version"], { stdio: "ignore" }).status === 0;
  if (!xmllint) console.log("grade-cli: the XSD validation is skipped: xmllint is not installed (apt-get install libxml2-utils)");
  it.skipIf(!xmllint)("writes JUnit XML that validates against the JUnit XSD (xmllint)", () => {
    const file = join(tmp, "junit.xml");
    expect(edgevm("grade", SUITE, CRASH, "--format", "junit", "-o", file).status).toBe(1);
    const ok = spawnSync("xmllint", ["--noout", "--schema", "tests/support/junit.xsd", file], { encoding: "utf8" });
    expect(ok.status, ok.stderr).toBe(0);
    writeFileSync(join(tmp, "bad.xml"), readFileSync(file, "utf8").replace("<failure", "<failed").replace("</failure>", "</failed>"));
    expect(spawnSync("xmllint", ["--noout", "--schema", "tests/support/junit.xsd", join(tmp, "bad.xml")]).status).not.toBe(0);
  });

  it("escapes guest output in XML and HTML", () => {
    const suite = join(tmp, "escape.json");
    writeFileSync(suite, JSON.stringify({
      name: "<lab & co>",
      tests: [{ name: "a \"quoted\" <b>name</b>", stdin: "x", expect: { stdout: "<script>alert(1)</script>\u0001" } }],
    }));
    const junit = edgevm("grade", suite, REF, "--format", "junit");
    expect(checkJunit(junit.stdout)).toEqual([]);
    expect(parseXml(junit.stdout).children[0]!.attributes.name).toBe("<lab & co>");
    const html = edgevm("grade", suite, REF, "--format", "html");
    expect(html.status).toBe(1);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).not.toMatch(/<b>name|<script>|<lab &/);
    expect(html.stdout).toContain("&lt;lab &amp; co&gt;");
    expect(html.stdout).not.toMatch(/<(script|link|img)\b|src=|href="http/); // self-contained
  });

  it("gives the same json report twice, byte for byte", () => {
    const a = edgevm("grade", SUITE, CRASH, "--format", "json");
    const b = edgevm("grade", SUITE, CRASH, "--format", "json");
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(report).toMatchObject({ format: "edgevm-grade-report/1", score: 9, maxScore: 10 });
    expect(a.stdout).not.toMatch(/time/i);
  });

  it("keeps snapshots with --store, so the reproduce command works as written", () => {
    const store = join(tmp, "store");
    const r = edgevm("grade", SUITE, CRASH, "--format", "json", "--store", store, "--test", "empty input");
    const t = JSON.parse(r.stdout).tests[0];
    expect(t.reproduce.command).toBe(`edgevm resume ${t.start} --store ${store} --max-insns 1000000`);
    const again = edgevm(...t.reproduce.command.split(" ").slice(1), "--stats");
    expect(again.status).toBe(139);
    expect(JSON.parse(again.stderr.trim().split("\n").at(-1)!).snapshot).toBe(t.end);
  });

  it("exits 2 with one line for a bad suite or submission", () => {
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, JSON.stringify({ name: "x", tests: [{ name: "t", expect: { stdoutMatches: "(" } }] }));
    for (const [args, message] of [
      [[bad, REF], /invalid_regex/],
      [[SUITE, "README.md"], /not an ELF .*invalid_submission/],
      [[SUITE, "examples/grading/lab0-fib/submissions/fib.elf"], /wrong_submission_kind/],
      [["nope.json", REF], /cannot read suite nope.json: no such file/],
      [[SUITE, REF, "--format", "xml"], /--format must be one of/],
      [[SUITE, REF, "--test", "nope"], /no test named "nope"/],
    ] as const) {
      const r = edgevm("grade", ...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  });

  it("prints the suite's JSON Schema, the one docs/ publishes", () => {
    const r = edgevm("grade", "--schema");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync("docs/grade-suite.schema.json", "utf8"));
  });

  it("documents every exit status in --help", () => {
    const r = edgevm("grade", "--help");
    expect(r.status).toBe(0);
    for (const s of ["0 ", "1 ", "2 ", "125"]) expect(r.stdout).toContain(`\n  ${s}`);
  });

  it("grades a folder in parallel: a summary table, a CSV and a report each", () => {
    const dir = join(tmp, "class");
    mkdirSync(dir);
    for (const f of ["sum.elf", "sum-crash.elf", "sum-slow.elf"]) copyFileSync(`${LAB1}/submissions/${f}`, join(dir, f));
    writeFileSync(join(dir, "notes.txt"), "not a program");
    const csv = join(tmp, "class.csv");
    const reports = join(tmp, "reports");
    const r = edgevm("grade", SUITE, dir, "--jobs", "2", "-o", csv, "--format", "gradescope", "--reports", reports);
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^submission +score +passed +failed +error$/);
    expect(lines.slice(1, 5).map((l) => l.split(/ +/).slice(0, 4).join(" "))).toEqual([
      "notes.txt - - -", "sum-crash.elf 9/10 8 1", "sum-slow.elf 8/10 8 1", "sum.elf 10/10 9 0",
    ]);
    expect(readFileSync(csv, "utf8").split("\r\n").slice(0, 3)).toEqual([
      "submission,score,max_score,passed,failed,error",
      expect.stringMatching(/^notes.txt,,,,,.*invalid_submission/),
      "sum-crash.elf,9,10,8,1,",
    ]);
    const one = JSON.parse(readFileSync(join(reports, "sum-slow.elf.results.json"), "utf8"));
    expect(validateGradescope(one)).toBe(true);
    expect(one.score).toBe(8);
    // A worker thread's report is the one a single run gives, byte for byte.
    const json = join(tmp, "reports-json");
    expect(edgevm("grade", SUITE, dir, "--jobs", "2", "--format", "json", "--reports", json).status).toBe(1);
    expect(readFileSync(join(json, "sum-crash.elf.json"), "utf8")).toBe(edgevm("grade", SUITE, join(dir, "sum-crash.elf"), "--format", "json").stdout);
  });
});
