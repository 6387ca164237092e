#!/usr/bin/env bash
# Builds the benchmark guests (bare-metal RISC-V ELFs on tests/guest/rt) into
# bench/bin/. The ELFs are committed, so `npm run bench` runs without a RISC-V
# toolchain; rerun this after changing anything in bench/workloads/.
#
#   bench/bin/NAME.elf        full size (iterations from workloads.txt)
#   bench/bin/NAME-small.elf  small variant (--quick)
#   bench/bin/empty.elf       returns at once (start-up time for QEMU)
#   bench/bin/reference.json  checksum and exact retired-instruction count of
#                             each ELF, measured under qemu-system-riscv64
#                             -icount shift=0,sleep=off (if QEMU is installed)
#
# Environment: RISCV_CC (default riscv64-unknown-elf-gcc), QEMU_SYSTEM
# (default qemu-system-riscv64).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
wl="$here/workloads"
rt="$here/../tests/guest/rt"
out="$here/bin"
cc="${RISCV_CC:-riscv64-unknown-elf-gcc}"
qemu="${QEMU_SYSTEM:-qemu-system-riscv64}"

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "bench/build.sh: $cc not found (apt-get install gcc-riscv64-unknown-elf)" >&2
  exit 1
fi

# Same code-generation flags as the native build in bench/run.mjs, plus the
# bare-metal ones: -ffp-contract=off keeps a*b+c unfused on both sides so
# floating-point results are bit-identical; -fno-tree-loop-distribute-patterns
# keeps copy/fill loops as loops instead of library calls.
common=(-O2 -ffp-contract=off -fno-math-errno -fno-tree-loop-distribute-patterns -Wall -Wextra -Werror)
guest=(-march=rv64gc -mabi=lp64d -mcmodel=medany -g0 -ffreestanding -nostdlib -nostartfiles -static
       -T "$rt/link.ld" -Wl,--build-id=none -I "$rt" -I "$wl")

mkdir -p "$out"
# Objects get fixed names in a scratch dir (an object's name can end up in the
# ELF's symbol table), so rebuilding unchanged sources gives identical ELFs.
obj="$(mktemp -d)"
trap 'rm -rf "$obj"' EXIT
"$cc" "${common[@]}" "${guest[@]}" -c -o "$obj/start.o" "$rt/start.S"
"$cc" "${common[@]}" "${guest[@]}" -c -o "$obj/rt.o" "$rt/rt.c"
"$cc" "${common[@]}" "${guest[@]}" -c -o "$obj/bench_guest.o" "$wl/bench_guest.c"
build() {  # build NAME OUTFILE ITERS
  local name="$1" elf="$2" iters="$3"
  local def=()
  [[ -n "$iters" ]] && def=(-DITERS="$iters")
  "$cc" "${common[@]}" "${guest[@]}" "${def[@]}" -c -o "$obj/$name.o" "$wl/$name.c"
  "$cc" "${common[@]}" "${guest[@]}" -o "$out/$elf" \
    "$obj/start.o" "$obj/rt.o" "$obj/bench_guest.o" "$obj/$name.o" -lgcc
  echo "built bench/bin/$elf${iters:+ (ITERS=$iters)}"
}

# name full small (description ignored)
entries=()
while read -r name full small _; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  entries+=("$name $full $small")
  build "$name" "$name.elf" "$full"
  build "$name" "$name-small.elf" "$small"
done <"$wl/workloads.txt"
build empty empty.elf ""

if ! command -v "$qemu" >/dev/null 2>&1; then
  echo "bench/build.sh: $qemu not found: bench/bin/reference.json not updated" >&2
  exit 0
fi

# Reference run of each ELF: exact instruction counts need -icount with
# sleep=off (otherwise QEMU's instret is host time-stamp ticks).
ref="$out/reference.json"
tmp="$ref.tmp"
{
  echo "{"
  echo "  \"generated_by\": \"bench/build.sh\","
  echo "  \"compiler\": \"$("$cc" --version | head -n1)\","
  echo "  \"reference\": \"$("$qemu" --version | head -n1) -machine virt -bios none -icount shift=0,sleep=off\","
  echo "  \"note\": \"instret = rdinstret read by the guest just before it prints its result (excludes the few hundred instructions of printing and exit)\","
  echo "  \"elfs\": {"
} >"$tmp"
first=1
for e in "${entries[@]}"; do
  read -r name full small <<<"$e"
  for variant in full small; do
    if [[ $variant == full ]]; then elf="$name.elf"; iters=$full; else elf="$name-small.elf"; iters=$small; fi
    set +e
    output="$(timeout 120 "$qemu" -machine virt -nographic -bios none -icount shift=0,sleep=off \
      -kernel "$out/$elf" </dev/null 2>&1)"
    code=$?
    set -e
    checksum="$(sed -n 's/^checksum \(0x[0-9a-f]*\).*/\1/p' <<<"$output" | tr -d '\r')"
    instret="$(sed -n 's/^instret \([0-9]*\).*/\1/p' <<<"$output" | tr -d '\r')"
    if [[ $code -ne 0 || -z "$checksum" || -z "$instret" ]] || ! grep -qx $'ok\r\\?' <<<"$output"; then
      echo "bench/build.sh: $elf failed its self-check under QEMU (exit $code):" >&2
      echo "$output" >&2
      rm -f "$tmp"
      exit 1
    fi
    echo "checked bench/bin/$elf under QEMU: checksum $checksum, $instret instructions"
    ((first)) || echo "," >>"$tmp"
    first=0
    printf '    "%s": { "workload": "%s", "variant": "%s", "iters": %s, "checksum": "%s", "instret": %s }' \
      "$elf" "$name" "$variant" "$iters" "$checksum" "$instret" >>"$tmp"
  done
done
printf '\n  }\n}\n' >>"$tmp"
mv "$tmp" "$ref"
echo "wrote bench/bin/reference.json"
