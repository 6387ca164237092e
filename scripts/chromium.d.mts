import type { BrowserContext } from "playwright-core";
export const CHROMIUM: string;
export const HAVE_CHROMIUM: boolean;
export const NO_CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export function launchChromium(): Promise<BrowserContext>;
