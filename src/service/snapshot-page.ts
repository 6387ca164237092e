// The page a person sees at /s/:id: the machine's state and console
// transcript, links up its lineage, and how to run it again. Plain HTML with
// everything escaped, no script: the transcript is guest output, so untrusted.
import type { SharedSnapshot } from "./schemas.ts";

/** Whether a request prefers HTML (a browser) over JSON (a program). */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf("text/html");
  const json = accept.indexOf("application/json");
  return html !== -1 && (json === -1 || html < json);
}

export function snapshotPage(s: SharedSnapshot): string {
  const status =
    s.signal !== null
      ? `killed by signal ${s.signal} (exit status ${s.exitCode})${s.reason ? `: ${s.reason}` : ""}`
      : s.status === "exited" || s.status === "halted"
        ? `${s.status} with code ${s.exitCode}`
        : s.reason
          ? `${s.status}: ${s.reason}`
          : s.status;
  const shown = s.console.bytes > s.console.tail.length ? ` (the last ${s.console.tail.length} of ${s.console.bytes} bytes)` : "";
  const lineage = s.parents.length === 0 ? "<p>No recorded parent.</p>" : `<ol>${s.parents.map((p) => `<li><a href="/s/${p}"><code>${p}</code></a></li>`).join("")}</ol>`;
  const curl = `curl -X POST -H 'authorization: Bearer $TOKEN' -H 'content-type: application/json' -d '{"stdin": ""}' ${s.runUrl}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgevm snapshot ${s.id.slice(0, 12)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
pre { background: #111; color: #e8e8e8; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }
code { font-size: 0.9em; word-break: break-all; }
dt { font-weight: 600; } dd { margin: 0 0 0.5rem 0; }
</style>
</head>
<body>
<h1>edgevm snapshot</h1>
<p><code>${s.id}</code></p>
<dl>
<dt>Status</dt><dd>${escape(status)}</dd>
<dt>Machine</dt><dd>${s.mode === "process" ? "a Linux program (process mode)" : "a RISC-V virt board (system mode)"}, ${s.ramBytes / (1 << 20)} MiB of RAM, ${s.memory.stored} of ${s.memory.chunks} memory chunks stored</dd>
<dt>Format</dt><dd>${escape(s.format)} v${s.version}</dd>
</dl>
<h2>Console${escape(shown)}</h2>
<pre>${escape(s.console.tail)}</pre>
<h2>Lineage</h2>
${lineage}
<h2>Run it again</h2>
<p>The snapshot never changes; running from it makes a new one. <a href="/openapi.json">API reference</a>.</p>
<pre>${escape(curl)}</pre>
</body>
</html>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
