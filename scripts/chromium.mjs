// Debian's chromium, driven by playwright-core (which never downloads a
// browser): where it is, and how it is launched, each time with a fresh profile.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.EDGEVM_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const NO_CHROMIUM = `no chromium at ${CHROMIUM} (apt-get install chromium, or set EDGEVM_CHROMIUM)`;

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

/** A browser context on a new, empty profile (--user-data-dir), so nothing is cached from an earlier run. */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), "edgevm-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1200, height: 900 }, args: CHROMIUM_ARGS,
  });
}
