// /proc/self/maps: the regions of the address space as text, in the format
// of show_map_vma (fs/proc/task_mmu.c): start-end perms offset dev inode,
// padded to column 73 before the name. Generated afresh at every read, as
// procfs does, so a reader sees the mappings as they are when it reads.
// glibc's pthread_getattr_np reads it to find the main thread's stack.
import { PROT_EXEC, PROT_READ, PROT_WRITE, type Vma } from "./address-space.ts";
import { ROOT_INO } from "../files/fs.ts";
import type { Kernel } from "../kernel.ts";

/** seq_setwidth in show_vma_header_prefix: 25 + 6 * sizeof(void *) - 1. */
const NAME_COLUMN = 72;

/** The text for process `k`, whose program file lives on device `exeDev`. */
export function procMaps(k: Kernel, exeDev: number): Uint8Array {
  // The program's path is what /proc/self/exe says (the guest may have removed the link or the file).
  const at = k.fs.resolve(ROOT_INO, "/proc/self/exe", false);
  const link = at > 0 ? k.fs.get(at) : undefined;
  const exePath = link?.kind === "symlink" ? link.target : "";
  const exeIno = exePath ? Math.max(0, k.fs.resolve(ROOT_INO, exePath)) : 0;
  let text = "";
  for (const v of k.mem.vmas) {
    const named = nameOf(v, exePath);
    const [dev, ino] = v.kind === "elf" ? [exeDev, exeIno] : [0, 0];
    let line = `${hex(v.start, 8)}-${hex(v.end, 8)} ${perms(v)} ${hex(0, 8)} ${hex(dev >>> 8, 2)}:${hex(dev & 0xff, 2)} ${ino} `;
    if (named) line = line.padEnd(NAME_COLUMN) + " " + named;
    text += line + "\n";
  }
  // Paths are byte strings (fs.ts): each char is one byte.
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function nameOf(v: Vma, exePath: string): string {
  switch (v.kind) {
    case "elf":
      return exePath;
    case "heap":
      return "[heap]";
    case "stack":
      return "[stack]";
    case "sigreturn":
      // Where Linux maps its vDSO, which holds the sigreturn trampoline there.
      return "[vdso]";
    default:
      return "";
  }
}

function perms(v: Vma): string {
  return (v.prot & PROT_READ ? "r" : "-") + (v.prot & PROT_WRITE ? "w" : "-") + (v.prot & PROT_EXEC ? "x" : "-") + "p";
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}
