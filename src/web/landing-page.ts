// The entry of GET / in a browser: paste or upload a program and run it here.
import "@xterm/xterm/css/xterm.css";
import "./web.css";
import { ConsoleView } from "./console-view.ts";

const form = document.querySelector<HTMLFormElement>("[data-part=program-form]")!;
const text = document.querySelector<HTMLTextAreaElement>("[data-part=program-text]")!;
const file = document.querySelector<HTMLInputElement>("[data-part=program-file]")!;
const problem = document.querySelector<HTMLElement>("[data-part=program-problem]")!;
const root = document.querySelector<HTMLElement>("[data-machine]")!;

/** Pasted text is base64 (an ELF does not survive a clipboard as text) or an assembly source. */
function pasted(value: string): Uint8Array {
  const compact = value.replace(/\s+/g, "");
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) {
    const binary = atob(compact);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }
  return new TextEncoder().encode(value);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  problem.textContent = "";
  const chosen = file.files?.[0];
  const bytes = chosen ? new Uint8Array(await chosen.arrayBuffer()) : pasted(text.value);
  if (bytes.length === 0) {
    problem.textContent = "paste a program (base64 of an ELF) or choose a file first";
    return;
  }
  if (bytes.length > 4 << 20) {
    problem.textContent = `the program has ${bytes.length} bytes; the limit is 4 MiB`;
    return;
  }
  root.hidden = false;
  form.querySelector<HTMLButtonElement>("button")!.disabled = true;
  (globalThis as { edgevmConsole?: ConsoleView }).edgevmConsole = new ConsoleView(root, { op: "boot", program: bytes });
});
