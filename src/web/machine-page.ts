// The entry of GET /s/:id in a browser: the machine's console, live.
import "@xterm/xterm/css/xterm.css";
import "./web.css";
import { ConsoleView } from "./console-view.ts";
import { wireCopyButtons } from "./copy.ts";

const root = document.querySelector<HTMLElement>("[data-machine]");
wireCopyButtons();
if (root?.dataset.snapshot) {
  (globalThis as { edgevmConsole?: ConsoleView }).edgevmConsole = new ConsoleView(root, { op: "open", id: root.dataset.snapshot });
}
