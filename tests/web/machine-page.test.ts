// The shared machine page in a real browser (Debian's chromium through
// playwright-core), end to end against the Worker as `npm start` runs it:
// a cat machine's page echoes a typed line; its shared state opens in a fresh
// page with the same transcript; the shared ids equal the ids the Worker and
// the CLI reach from the same input; an unknown id gets a 404 page; a program
// pasted on the landing page runs. Screenshots go to a temporary directory
// (printed), never into the repository.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAVE_CHROMIUM, launchChromium, NO_CHROMIUM } from "../../scripts/chromium.mjs";
import { startWorker } from "../../scripts/worker-server.mjs";

const ROOT = join(dirname(new URL(import.meta.url).pathname), "../..");
const TOKEN = "dev-token"; // .dev.vars: local runs only
if (!HAVE_CHROMIUM) console.log(`tests/web: skipped, ${NO_CHROMIUM}`);

describe.skipIf(!HAVE_CHROMIUM)("the machine page in chromium", () => {
  let server: Awaited<ReturnType<typeof startWorker>>;
  let browser: BrowserContext;
  const shots = mkdtempSync(join(tmpdir(), "edgevm-web-shots-"));
  const problems: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWorker(ROOT), launchChromium()]);
    console.log(`tests/web: screenshots in ${shots}`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push(`${path}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${path}: ${m.text()} ${m.location().url}`);
    });
    await page.goto(`${server.origin}${path}`);
    return page;
  }

  const terminalText = (page: Page) => page.locator(".xterm-rows").innerText();
  const waitStatus = (page: Page, status: string) => page.waitForSelector(`[data-machine][data-status="${status}"]`, { timeout: 30_000 });

  async function share(page: Page): Promise<string> {
    await page.locator("[data-part=token]").fill(TOKEN);
    await page.locator("[data-part=share-result]").evaluate((e) => (e.textContent = ""));
    await page.locator("[data-part=share]").click();
    const link = page.locator("[data-part=share-link]");
    await link.waitFor({ timeout: 30_000 });
    const href = (await link.getAttribute("href"))!;
    return /\/s\/([0-9a-f]{64})$/.exec(href)![1]!;
  }

  it("runs a cat machine, shares its state, and the ids match the Worker's and the CLI's", async () => {
    const page = await open("/examples/cat");
    const start = /\/s\/([0-9a-f]{64})$/.exec(page.url())![1]!;
    await waitStatus(page, "waiting-input");
    await page.locator(".xterm").click();
    await page.keyboard.type("hello from the browser\n");
    await expect.poll(async () => (await terminalText(page)).split("hello from the browser").length - 1, { timeout: 20_000 }).toBe(2);
    await waitStatus(page, "waiting-input");
    await page.screenshot({ path: join(shots, "1-cat-echo.png"), fullPage: true });

    // The same input through the Worker: POST /s/:id/run from the same start.
    const shared = await share(page);
    const viaWorker = await fetch(`${server.origin}/s/${start}/run`, {
      method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ stdin: "hello from the browser\n" }),
    }).then((r) => r.json() as Promise<{ snapshot: string; status: string }>);
    expect(viaWorker.status).toBe("waiting-input");
    expect(shared).toBe(viaWorker.snapshot);

    // A fresh page at the new URL shows the same transcript, and runs on from there.
    const fresh = await open(`/s/${shared}`);
    await waitStatus(fresh, "waiting-input");
    expect(await terminalText(fresh)).toContain("hello from the browser");
    expect(await fresh.locator("ol.parents a").first().getAttribute("href")).toBe(`/s/${start}`);
    await fresh.screenshot({ path: join(shots, "2-shared-state.png"), fullPage: true });
    await fresh.close();

    // Ctrl-D ends cat's input; that state equals what the CLI reaches from the same start with the same stdin.
    await page.locator(".xterm").click();
    await page.keyboard.press("Control+D");
    await waitStatus(page, "exited");
    const ended = await share(page);
    const store = mkdtempSync(join(tmpdir(), "edgevm-web-store-"));
    const cli = join(ROOT, "bin", "edgevm.mjs");
    const imported = execFileSync(process.execPath, [cli, "import", `${server.origin}/s/${start}`, "--store", store], { encoding: "utf8" });
    expect(imported.trim()).toBe(start);
    writeFileSync(join(store, "stdin.txt"), "hello from the browser\n");
    const resumed = spawnSync(process.execPath, [cli, "resume", start, "--store", store, "--stdin", join(store, "stdin.txt"), "--stats"], { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toBe("hello from the browser\n");
    // --stats is the last line on stderr; "snapshot" is the final state.
    const stats = resumed.stderr;
    expect(JSON.parse(stats.trim().split("\n").at(-1)!).snapshot).toBe(ended);
    await page.screenshot({ path: join(shots, "3-cat-exited.png"), fullPage: true });
    await page.close();
  }, 120_000);

  it("answers an unknown snapshot with a 404 page", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.origin}/s/${"0".repeat(64)}`);
    expect(response!.status()).toBe(404);
    expect(await page.locator("h1").innerText()).toBe("Not found");
    await page.screenshot({ path: join(shots, "4-not-found.png") });
    await page.close();
  }, 60_000);

  it("runs a program pasted on the landing page", async () => {
    const page = await open("/");
    expect(await page.locator("a[data-example]").count()).toBeGreaterThanOrEqual(3);
    const program = readFileSync(join(ROOT, "tests/guest/linux/bin/hello")).toString("base64");
    await page.locator("[data-part=program-text]").fill(program);
    await page.locator("[data-part=program-form] button[type=submit]").click();
    await waitStatus(page, "exited");
    expect(await terminalText(page)).toContain("Hello, world!");
    await page.screenshot({ path: join(shots, "5-landing-pasted.png"), fullPage: true });
    await page.close();
  }, 60_000);

  it("loads without script errors or Content-Security-Policy violations", () => {
    expect(problems).toEqual([]);
  });
});
