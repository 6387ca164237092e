// The HTML the service gives browsers: the shared machine at /s/:id, the
// landing page at /, and the 404 page for an unknown snapshot. The pages are
// shells around the scripts of src/web (served as static assets, same origin):
// the machine runs in the reader's browser. Everything the service writes
// here is escaped; guest output never appears in this HTML at all (the
// terminal renders it from the manifest, and nothing else interprets it).
import type { SharedSnapshot } from "./schemas.ts";

/** Whether a request prefers HTML (a browser) over JSON (a program). */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf("text/html");
  const json = accept.indexOf("application/json");
  return html !== -1 && (json === -1 || html < json);
}

/**
 * The pages' Content-Security-Policy: scripts, styles, workers and fetches
 * from this origin only, wasm compilation for the core, nothing inline
 * except styles (xterm.js sets its theme and cell metrics in <style>
 * elements it creates), no frames, no plugins, no form posts elsewhere.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const PAGE_HEADERS: Record<string, string> = {
  "content-security-policy": PAGE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
};

/** What the page says about a machine beyond SharedSnapshot (read from its core record). */
export interface MachineFacts {
  /** Retired instructions in the machine's life. */
  instructions: bigint;
  /** Retired instructions plus idle cycles: guest time at the nominal 100 MHz. */
  cycles: bigint;
  /** The service's own origin, for commands that work when pasted. */
  origin: string;
}

export interface Example {
  name: string;
  title: string;
  what: string;
}

const HART_HZ = 100_000_000;

export function snapshotPage(s: SharedSnapshot, facts: MachineFacts): string {
  const url = `${facts.origin}/s/${s.id}`;
  const store = "edgevm-store";
  const edgevm = `npx edgevm import ${url} --store ${store} && npx edgevm resume ${s.id} --store ${store}`;
  // $TOKEN outside single quotes, so the shell expands it; the body is the one thing quoted.
  const curl = `curl -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"stdin": ""}' ${facts.origin}${s.runUrl}`;
  const shown = s.console.bytes > s.console.tail.length ? ` (the terminal starts with the last ${s.console.tail.length} of ${s.console.bytes} bytes)` : "";
  const lineage =
    s.parents.length === 0
      ? "<p>No recorded parent.</p>"
      : `<ol class="parents">${s.parents.map((p) => `<li><a href="/s/${p}"><code>${p}</code></a></li>`).join("")}</ol>`;
  const machine = s.mode === "process" ? "a Linux program (process mode)" : "a RISC-V virt board (system mode)";
  return shell(
    `edgevm machine ${s.id.slice(0, 12)}`,
    "machine-page",
    `<h1>Machine <code>${s.id.slice(0, 16)}…</code></h1>
<p>A snapshot of ${machine}, running in this page on your CPU: nothing you do here is stored unless you share it.</p>
${consoleSection(s.id)}
<h2>What this machine is</h2>
<dl class="facts">
<dt>Snapshot</dt><dd><code>${s.id}</code></dd>
<dt>Shared state</dt><dd>${escape(describe(s))}</dd>
<dt>Now</dt><dd data-part="f-status">${escape(describe(s))}</dd>
<dt>Machine</dt><dd>${machine}</dd>
<dt>RAM</dt><dd>${s.ramBytes / (1 << 20)} MiB, ${s.memory.stored} of ${s.memory.chunks} chunks of ${s.memory.chunkBytes / 1024} KiB stored (the rest are zero)</dd>
<dt>Instructions retired</dt><dd data-part="f-insns">${facts.instructions.toLocaleString("en-US")}</dd>
<dt>Guest time</dt><dd data-part="f-time">${(Number(facts.cycles) / HART_HZ).toFixed(6)} s</dd>
<dt>Fetched by this page</dt><dd data-part="f-fetched">0 KiB</dd>
<dt>Console</dt><dd>${s.console.bytes} bytes written${escape(shown)}</dd>
<dt>Format</dt><dd>${escape(s.format)} v${s.version} (<a href="/s/${s.id}" data-part="json-link" type="application/json">JSON</a> with <code>Accept: application/json</code>)</dd>
</dl>
<h2>Parents</h2>
${lineage}
<h2>Run it on your machine</h2>
<p>The same machine, bit for bit, with the <code>edgevm</code> command (Node 22):</p>
<pre><code id="cmd-edgevm">${escape(edgevm)}</code></pre>
<p><button type="button" data-copy="cmd-edgevm">Copy</button></p>
<p>Or on the service, with a token in <code>$TOKEN</code> (the snapshot stays as it is; the answer names the new one):</p>
<pre><code id="cmd-curl">${escape(curl)}</code></pre>
<p><button type="button" data-copy="cmd-curl">Copy</button> <a href="/openapi.json">API reference</a></p>`,
  );
}

/** The console and its buttons; the same markup on both pages (src/web/console-view.ts finds the parts by name). */
function consoleSection(snapshot: string | null, hidden = false): string {
  return `<section class="console" data-machine${snapshot ? ` data-snapshot="${snapshot}"` : ""}${hidden ? " hidden" : ""} aria-label="Machine console">
<div class="toolbar">
<button type="button" data-part="run">Pause</button>
<button type="button" data-part="step">Step</button><input type="number" min="1" value="1000" data-part="step-n" aria-label="Instructions per step">
<button type="button" data-part="reset">Reset</button>
<button type="button" data-part="share">Share this state</button>
<button type="button" data-part="fork">Fork on the server</button>
<button type="button" data-part="download">Download snapshot</button>
<button type="button" data-part="download-transcript">Download transcript</button>
<input type="password" data-part="token" placeholder="token (share, fork)" autocomplete="off" aria-label="Service token, for sharing and forking">
</div>
<div class="terminal-host" data-part="terminal"></div>
<p class="status-line" data-part="status-line" aria-live="polite"></p>
<p data-part="share-result" aria-live="polite"></p>
</section>`;
}

export function landingPage(examples: readonly Example[]): string {
  const list = examples.map((e) => `<li><a href="/examples/${e.name}" data-example="${e.name}">${escape(e.title)}</a>: ${escape(e.what)}</li>`).join("\n");
  return shell(
    "edgevm: RISC-V machines you can share by URL",
    "landing-page",
    `<h1>edgevm</h1>
<p>Serverless RISC-V (RV64GC) virtual machines. A machine is a content-addressed snapshot: open its link and it runs
in your browser, on the same emulator core the service runs; share a state and anyone gets that exact machine, with
the same id on every host. Static Linux programs run over a Linux syscall layer; bare-metal programs on a virt board.</p>
<h2>Examples</h2>
<ul class="examples">
${list}
</ul>
<h2>Run a program</h2>
<form data-part="program-form">
<p>A static riscv64 Linux ELF or a bare-metal RV64 ELF (up to 4 MiB): choose the file, or paste it as base64
(<code>base64 -w0 prog</code>), or paste an assembly source (<code>.s</code>, GNU as syntax), which edgevm's assembler links first.</p>
<p><input type="file" data-part="program-file" aria-label="Program file"></p>
<p><textarea data-part="program-text" aria-label="Program as base64" placeholder="base64 of an ELF, or assembly source"></textarea></p>
<p><button type="submit">Run it here</button> <span class="problem" data-part="program-problem" aria-live="polite"></span></p>
</form>
${consoleSection(null, true)}
<h2>For programs</h2>
<p>The HTTP API is described by <a href="/openapi.json">/openapi.json</a>; <code>GET /</code> with
<code>Accept: application/json</code> lists the routes.</p>`,
  );
}

export function notFoundPage(what: string): string {
  return shell(
    "edgevm: not found",
    null,
    `<h1>Not found</h1>
<p>${escape(what)}</p>
<p>Snapshot ids are 64 hexadecimal digits; a link that was cut short names no machine. <a href="/">The landing page</a> has examples.</p>`,
  );
}

function shell(title: string, script: string | null, body: string): string {
  // Pages without a console take the machine page's stylesheet and no script.
  const assets = `<link rel="stylesheet" href="/assets/${script ?? "machine-page"}.css">${script ? `\n<script type="module" src="/assets/${script}.js"></script>` : ""}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${assets}
</head>
<body>
<header><a class="brand" href="/">edgevm</a><span>RISC-V machines you can share by URL</span></header>
<main>
${body}
</main>
</body>
</html>
`;
}

function describe(s: SharedSnapshot): string {
  if (s.signal !== null) return `killed by signal ${s.signal} (exit status ${s.exitCode})${s.reason ? `: ${s.reason}` : ""}`;
  if (s.status === "exited" || s.status === "halted") return `${s.status} with code ${s.exitCode}`;
  if (s.status === "waiting-input") return "waiting for console input";
  return s.reason ? `${s.status}: ${s.reason}` : s.status;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
