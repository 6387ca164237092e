// Where `npm run images` (snapshots/build-images.sh) put the Linux images for
// the current inputs, or null when they are not built (tests then skip).
// EDGEVM_IMAGES_DIR names another folder holding an Image instead.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

let cached: string | null | undefined;

export function builtImagesDir(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  const given = process.env.EDGEVM_IMAGES_DIR; // images built elsewhere
  if (given) return (cached = existsSync(`${given}/Image`) ? given : null);
  try {
    const dir = execFileSync("bash", ["snapshots/build-images.sh", "--print-dir"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (existsSync(`${dir}/SHA256SUMS`)) cached = dir;
  } catch {
    // pins not installed (no Debian packages here): nothing was built
  }
  return cached;
}

/** The reason a test that needs the images skips. */
export const IMAGES_ABSENT = "Linux images not built for these inputs (run `npm run images`)";
