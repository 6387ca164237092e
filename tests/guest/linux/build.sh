#!/usr/bin/env bash
# Builds the Linux corpus (tests/guest/linux/*.c, *.cc) into static riscv64
# programs in tests/guest/linux/bin/<name>, or into the directory given as the
# first argument (the conformance test rebuilds into a temporary directory and
# compares bytes with the committed ones).
#
# Deterministic output: sources are compiled from this directory under their
# bare names (so __FILE__ in an assert message is just "exit.c"), objects get
# fixed names, there is no build id, and the result is stripped (no symbol
# table, so no object or path names). The same toolchain gives the same
# bytes wherever the checkout lives; bin/TOOLCHAIN records which one it was.
# fpu-vectors.c is not part of the corpus (gen-fpu-vectors.sh builds it).
# hangs/*.c never end on Linux (a deadlock on purpose): they are built into
# bin/hangs/ for edgevm's own tests, which expect a fault, and are not cases
# of the differential test (qemu would hang).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/bin}"
CC="${RISCV_LINUX_GCC:-riscv64-linux-gnu-gcc}"
CXX="${RISCV_LINUX_GXX:-riscv64-linux-gnu-g++}"
STRIP="${RISCV_LINUX_STRIP:-riscv64-linux-gnu-strip}"

for tool in "$CC" "$CXX" "$STRIP"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "tests/guest/linux/build.sh: '$tool' not found." >&2
    echo "  Debian/Ubuntu: apt-get install gcc-riscv64-linux-gnu g++-riscv64-linux-gnu" >&2
    exit 1
  fi
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
objs="$(mktemp -d)"
trap 'rm -rf "$objs"' EXIT
cd "$here"

common=(-O2 -g0 -Wall -Wno-unused-result "-ffile-prefix-map=$here/=" -march=rv64gc -mabi=lp64d)
link=(-static -Wl,--build-id=none)

build() { # name compiler [extra flags...]
  local name="$1" compiler="$2"
  shift 2
  "$compiler" "${common[@]}" "$@" -c "$src" -o "$objs/$name.o"
  (cd "$objs" && "$compiler" "${link[@]}" "$name.o" -o "$name" $libs)
  "$STRIP" -o "$out/$name" "$objs/$name"
}

built=0
for src in *.c *.cc; do
  name="${src%.*}"
  case "$name" in
    fpu-vectors) continue ;;
    pie)
      # No libc: Debian's cross glibc has no rcrt1.o for a static-pie.
      "$CC" "${common[@]}" -fPIE -c "$src" -o "$objs/pie.o"
      (cd "$objs" && "$CC" -static-pie -nostdlib -nostartfiles -Wl,--no-dynamic-linker -Wl,--build-id=none pie.o -o pie)
      "$STRIP" -o "$out/pie" "$objs/pie"
      ;;
    *)
      libs="-lm -latomic"
      if [[ "$src" == *.cc ]]; then build "$name" "$CXX" -std=c++17; else build "$name" "$CC" -std=gnu17; fi
      ;;
  esac
  built=$((built + 1))
done
mkdir -p "$out/hangs"
cd "$here/hangs"
for src in *.c; do
  name="${src%.c}"
  libs="-lm -latomic"
  build "$name" "$CC" -std=gnu17
  mv "$out/$name" "$out/hangs/$name"
  built=$((built + 1))
done
cd "$here"
{
  "$CC" --version | head -n 1
  "$CXX" --version | head -n 1
  "$("$CC" -print-prog-name=ld)" --version | head -n 1
  echo "glibc $(dpkg-query -W -f='${Version}' libc6-dev-riscv64-cross 2>/dev/null || echo unknown)"
} >"$out/TOOLCHAIN"
echo "built $built programs into ${out#"$(cd "$here/../../.." && pwd)/"}"
