#!/usr/bin/env bash
# Builds the Linux benchmark programs (static riscv64 Linux ELFs, glibc) into
# bench/bin/linux/ for the "linux" rows of `npm run bench` (edgevm's process
# mode, qemu-riscv64, native). The binaries are committed; rerun this after
# changing bench/workloads/linux.txt or a workload it lists.
#
#   bench/bin/linux/NAME         full size (iterations from linux.txt)
#   bench/bin/linux/NAME-small   small variant (--quick)
#   bench/bin/linux/reference.json  checksum of each program under
#                                qemu-riscv64, checked against the host build
#
# Each program is built twice and the two builds must be identical
# (deterministic), then stripped. The start-up program subtracted from the
# qemu-riscv64 times is tests/guest/linux/bin/hello (no copy here).
# Environment: RISCV_LINUX_CC (default riscv64-linux-gnu-gcc), QEMU_USER
# (default qemu-riscv64), CC (default gcc, the native cross-check).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
wl="$here/workloads"
out="$here/bin/linux"
cc="${RISCV_LINUX_CC:-riscv64-linux-gnu-gcc}"
qemu="${QEMU_USER:-qemu-riscv64}"
host="${CC:-gcc}"

for t in "$cc" "$qemu" "$host"; do
  command -v "$t" >/dev/null 2>&1 || { echo "bench/build-linux.sh: $t not found" >&2; exit 1; }
done

# The same code-generation flags as bench/build.sh and the native build in
# bench/run.mjs, plus -DBENCH_NATIVE (printf from the C library).
common=(-O2 -ffp-contract=off -fno-math-errno -fno-tree-loop-distribute-patterns -Wall -Wextra -Werror
        -DBENCH_NATIVE -I "$wl")
guest=(-static -march=rv64gc -mabi=lp64d -g0 -Wl,--build-id=none)

mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

build() {  # build NAME OUTFILE ITERS
  local name="$1" file="$2" iters="$3" def=()
  [[ -n "$iters" ]] && def=(-DITERS="$iters")
  # The source is copied to a fixed path so no temporary name reaches the ELF.
  cp "$wl/$name.c" "$tmp/w.c"
  for n in 1 2; do
    (cd "$tmp" && "$cc" "${common[@]}" "${guest[@]}" "${def[@]}" -o "b$n" w.c -lm)
    "${cc%gcc}strip" --strip-all -o "$tmp/s$n" "$tmp/b$n" 2>/dev/null || strip --strip-all -o "$tmp/s$n" "$tmp/b$n"
  done
  cmp -s "$tmp/s1" "$tmp/s2" || { echo "bench/build-linux.sh: $file is not reproducible" >&2; exit 1; }
  mv "$tmp/s1" "$out/$file"
  echo "built bench/bin/linux/$file${iters:+ (ITERS=$iters)}, $(stat -c %s "$out/$file") bytes"
}

check() {  # check NAME FILE ITERS -> prints the checksum
  local name="$1" file="$2" iters="$3" q n
  q="$(timeout 300 "$qemu" "$out/$file" </dev/null)" || { echo "bench/build-linux.sh: $file failed under $qemu" >&2; echo "$q" >&2; exit 1; }
  "$host" "${common[@]}" -DITERS="$iters" -o "$tmp/native" "$wl/$name.c" -lm
  n="$("$tmp/native")" || { echo "bench/build-linux.sh: native $name failed" >&2; exit 1; }
  local qs ns
  qs="$(sed -n 's/^checksum //p' <<<"$q")"
  ns="$(sed -n 's/^checksum //p' <<<"$n")"
  if [[ -z "$qs" || "$qs" != "$ns" ]] || ! grep -qx ok <<<"$q"; then
    echo "bench/build-linux.sh: $file: qemu-riscv64 says '$qs', native says '$ns'" >&2
    exit 1
  fi
  echo "$qs"
}

entries=()
while read -r name full small _; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  entries+=("$name $full $small")
  build "$name" "$name" "$full"
  build "$name" "$name-small" "$small"
done <"$wl/linux.txt"

ref="$out/reference.json"
{
  echo "{"
  echo "  \"generated_by\": \"bench/build-linux.sh\","
  echo "  \"compiler\": \"$("$cc" --version | head -n1)\","
  echo "  \"checked_with\": \"$("$qemu" --version | head -n1); native $("$host" --version | head -n1)\","
  echo "  \"programs\": {"
} >"$tmp/ref"
first=1
for e in "${entries[@]}"; do
  read -r name full small <<<"$e"
  for variant in full small; do
    if [[ $variant == full ]]; then file="$name"; iters=$full; else file="$name-small"; iters=$small; fi
    sum="$(check "$name" "$file" "$iters")"
    echo "checked bench/bin/linux/$file: checksum $sum (qemu-riscv64 = native)"
    ((first)) || echo "," >>"$tmp/ref"
    first=0
    printf '    "%s": { "workload": "%s", "variant": "%s", "iters": %s, "checksum": "%s" }' \
      "$file" "$name" "$variant" "$iters" "$sum" >>"$tmp/ref"
  done
done
printf '\n  }\n}\n' >>"$tmp/ref"
mv "$tmp/ref" "$ref"
echo "wrote bench/bin/linux/reference.json"
