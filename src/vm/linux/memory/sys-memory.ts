// Memory syscalls: brk, mmap, munmap, mprotect, mremap, madvise and friends.
import { PAGE_SIZE, pageUp, PROT_EXEC, PROT_READ, PROT_WRITE, TASK_SIZE, type Vma } from "./address-space.ts";
import { EACCES, EBADF, EFAULT, EINVAL, ENODEV, ENOMEM } from "../entry/errno.ts";
import { O_ACCMODE, O_WRONLY } from "../files/fd-table.ts";
import type { Handler, Kernel, SyscallArgs, SyscallResult } from "../kernel.ts";

const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_SHARED_VALIDATE = 0x03;
const MAP_TYPE = 0x0f;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_NORESERVE = 0x4000;
const MAP_STACK = 0x20000;
const MAP_FIXED_NOREPLACE = 0x100000;
const PROT_MASK = PROT_READ | PROT_WRITE | PROT_EXEC;

const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;

const MADV_DONTNEED = 4;
const MADV_REMOVE = 9;

function brk(k: Kernel, a: SyscallArgs): SyscallResult {
  return k.mem.setBrk(a.addr(0));
}

/** The file bytes a file-backed mapping starts with, or a negative errno. */
function fileContents(k: Kernel, fd: number, offset: number, len: number, shared: boolean, prot: number): Uint8Array | number | null {
  const file = k.file(fd);
  if (!file) return -EBADF;
  if (file.endpoint.kind !== "inode") return -ENODEV;
  const inode = k.fs.get(file.endpoint.ino);
  if (inode.kind === "chardev" && inode.device === "zero") return null; // /dev/zero: anonymous memory
  if (inode.kind !== "file") return -ENODEV;
  if ((file.flags & O_ACCMODE) === O_WRONLY) return -EACCES;
  // Mappings are copies: a shared writable mapping could not write back to the file.
  if (shared && prot & PROT_WRITE) return -ENODEV;
  return k.fs.readAt(inode.ino, offset, len);
}

function mmap(k: Kernel, a: SyscallArgs): SyscallResult {
  const [addr, length, prot, flags, fd] = [a.addr(0), a.addr(1), a.int(2), a.int(3), a.int(4)];
  const offset = a.long(5);
  if (length === 0 || prot & ~PROT_MASK) return -EINVAL;
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -EINVAL;
  if (offset < 0n || offset % BigInt(PAGE_SIZE) !== 0n) return -EINVAL;
  const len = pageUp(length);
  if (len > TASK_SIZE) return -ENOMEM;
  let contents: Uint8Array | null = null;
  if (!(flags & MAP_ANONYMOUS)) {
    const got = fileContents(k, fd, Number(offset), len, type !== MAP_PRIVATE, prot);
    if (typeof got === "number") return got;
    contents = got;
  }
  const start = k.mem.place(addr, len, (flags & MAP_FIXED) !== 0, (flags & MAP_FIXED_NOREPLACE) !== 0);
  if (start < 0) return start;
  // Thread stacks and MAP_NORESERVE are charged as their pages are touched (address-space.ts).
  const lazy = contents === null && (flags & (MAP_STACK | MAP_NORESERVE)) !== 0;
  const r = k.mem.map(start, start + len, prot, "mmap", contents !== null, lazy);
  if (r < 0) return r;
  if (contents && contents.length > 0) k.mem.poke(start, contents);
  return start;
}

function munmap(k: Kernel, a: SyscallArgs): SyscallResult {
  const [addr, length] = [a.addr(0), a.addr(1)];
  if (addr % PAGE_SIZE !== 0 || length === 0 || addr + length > TASK_SIZE) return -EINVAL;
  k.mem.unmap(addr, addr + pageUp(length));
  return 0;
}

function mprotect(k: Kernel, a: SyscallArgs): SyscallResult {
  const [addr, length, prot] = [a.addr(0), a.addr(1), a.int(2)];
  if (addr % PAGE_SIZE !== 0 || prot & ~PROT_MASK) return -EINVAL;
  if (length === 0) return 0;
  if (addr + length > TASK_SIZE) return -ENOMEM;
  return k.mem.protect(addr, addr + pageUp(length), prot);
}

function mremap(k: Kernel, a: SyscallArgs): SyscallResult {
  const [old, oldLength, newLength, flags, newAddr] = [a.addr(0), a.addr(1), a.addr(2), a.int(3), a.addr(4)];
  if (old % PAGE_SIZE !== 0 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) return -EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -EINVAL;
  const oldLen = pageUp(oldLength);
  const newLen = pageUp(newLength);
  if (newLen === 0 || newLen > TASK_SIZE) return -EINVAL;
  const vma = k.mem.vmaAt(old);
  if (!vma || old + oldLen > vma.end || oldLen === 0) return -EFAULT;
  if (flags & MREMAP_FIXED) {
    if (newAddr % PAGE_SIZE !== 0 || (newAddr < old + oldLen && newAddr + newLen > old)) return -EINVAL;
    return moveTo(k, old, oldLen, newLen, newAddr, vma);
  }
  if (newLen <= oldLen) {
    k.mem.unmap(old + newLen, old + oldLen);
    return old;
  }
  if (k.mem.isFree(old + oldLen, old + newLen) && old + newLen <= TASK_SIZE) {
    return k.mem.map(old + oldLen, old + newLen, vma.prot, vma.kind, vma.charged, vma.lazy) < 0 ? -ENOMEM : old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  const target = k.mem.findFree(newLen);
  if (target < 0) return target;
  return moveTo(k, old, oldLen, newLen, target, vma);
}

/** Moves [old, old+oldLen) to `to` and sizes it to newLen there. */
function moveTo(k: Kernel, old: number, oldLen: number, newLen: number, to: number, vma: Vma): number {
  const keep = Math.min(oldLen, newLen);
  if (!k.mem.canCommit(to, to + newLen)) return -ENOMEM;
  k.mem.unmap(to, to + newLen);
  k.mem.move(old, to, keep);
  if (newLen > keep && k.mem.map(to + keep, to + newLen, vma.prot, "mmap", false, vma.lazy) < 0) return -ENOMEM;
  k.mem.unmap(old, old + oldLen);
  return to;
}

function madvise(k: Kernel, a: SyscallArgs): SyscallResult {
  const [addr, length, advice] = [a.addr(0), a.addr(1), a.int(2)];
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  const end = addr + pageUp(length);
  if (end > TASK_SIZE) return -EINVAL;
  if (advice === MADV_DONTNEED || advice === MADV_REMOVE) {
    for (let page = addr; page < end; page += PAGE_SIZE) if (!k.mem.vmaAt(page)) return -ENOMEM;
    k.mem.discard(addr, end);
  }
  return 0;
}

/** A check that every page of the range is mapped (msync, mlock, mincore): 0 or -ENOMEM. */
function mapped(k: Kernel, a: SyscallArgs): SyscallResult {
  const [addr, length] = [a.addr(0), a.addr(1)];
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  for (let page = addr; page < addr + length; page += PAGE_SIZE) if (!k.mem.vmaAt(page)) return -ENOMEM;
  return 0;
}

/** mincore: every mapped page reports resident. */
function mincore(k: Kernel, a: SyscallArgs): SyscallResult {
  const r = mapped(k, a);
  if (r !== 0) return r;
  const pages = pageUp(a.addr(1)) / PAGE_SIZE;
  return k.write(a.addr(2), new Uint8Array(pages).fill(1)) ? 0 : -EFAULT;
}

export const memorySyscalls: Record<string, Handler> = {
  brk,
  mmap,
  munmap,
  mprotect,
  mremap,
  madvise,
  msync: mapped,
  mlock: mapped,
  munlock: mapped,
  mlock2: mapped,
  mlockall: () => 0,
  munlockall: () => 0,
  mincore,
};
