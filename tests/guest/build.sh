#!/usr/bin/env bash
# Rebuilds every ISA test program (tests/guest/isa/*.S, *.c) into
# tests/guest/bin/<name>.elf, or into the directory given as the first
# argument (tests/conformance/guest-isa.test.ts rebuilds into a temporary
# directory and compares bytes with the committed fixtures).
#
# The output is deterministic: sources are named by paths relative to the
# repository root, objects are linked under fixed names, there is no debug
# info and no build id, so rebuilding with the same toolchain gives identical
# bytes wherever the checkout lives. TOOLCHAIN in the output directory records
# the compiler, assembler and linker versions used (the conformance test only expects
# identical bytes from the same versions).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/tests/guest/bin}"
CC="${RISCV_GCC:-riscv64-unknown-elf-gcc}"

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "tests/guest/build.sh: '$CC' not found." >&2
  echo "  Install a bare-metal RISC-V toolchain (Debian/Ubuntu: apt-get install gcc-riscv64-unknown-elf)" >&2
  echo "  or point RISCV_GCC at one." >&2
  exit 1
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"

cflags=(
  -march=rv64gc -mabi=lp64d -mcmodel=medany
  -ffreestanding -O2 -g0 -Wall
  "-ffile-prefix-map=$root/="
  -I tests/guest/rt -I tests/guest/isa
)
ldflags=(
  -march=rv64gc -mabi=lp64d -mcmodel=medany
  -nostdlib -nostartfiles -static
  -Wl,--build-id=none
  -T "$root/tests/guest/rt/link.ld"
)

# Objects go to a private directory under fixed names and are linked from
# there: the linker records object file names in the symbol table (as FILE
# symbols for sources that lack one), so gcc's random temporary names would
# make every build different.
objs="$(mktemp -d)"
trap 'rm -rf "$objs"' EXIT
"$CC" "${cflags[@]}" -c tests/guest/rt/start.S -o "$objs/rt_start.o"
"$CC" "${cflags[@]}" -c tests/guest/rt/rt.c -o "$objs/rt.o"
"$CC" "${cflags[@]}" -c tests/guest/isa/common.S -o "$objs/isa_common_asm.o"
"$CC" "${cflags[@]}" -c tests/guest/isa/common.c -o "$objs/isa_common.o"
runtime=(rt_start.o rt.o isa_common_asm.o isa_common.o)

built=0
for src in tests/guest/isa/*.S tests/guest/isa/*.c; do
  name="$(basename "$src")"
  name="${name%.*}"
  case "$name" in common) continue ;; esac
  "$CC" "${cflags[@]}" -c "$src" -o "$objs/$name.o"
  (cd "$objs" && "$CC" "${ldflags[@]}" "${runtime[@]}" "$name.o" -o "$name.elf")
  mv -f "$objs/$name.elf" "$out/$name.elf"
  built=$((built + 1))
done
{
  "$CC" --version | head -n 1
  "$("$CC" -print-prog-name=as)" --version | head -n 1
  "$("$CC" -print-prog-name=ld)" --version | head -n 1
} >"$out/TOOLCHAIN"
echo "built $built programs into ${out#"$root/"}"
