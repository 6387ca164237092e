#!/usr/bin/env bash
# Builds the device test guests (tests/guest/devices/*.c on tests/guest/rt)
# into tests/guest/devices/bin/ (committed), or into the directory given as
# the first argument. Deterministic like tests/guest/build.sh. They power the
# board off through the syscon finisher; tests/unit/system-devices.test.ts
# runs them with the devices they need, and on QEMU's virt board where that
# is installed:
#   qemu-system-riscv64 -machine virt -nographic -bios none -kernel tests/guest/devices/bin/plic.elf
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${1:-$root/tests/guest/devices/bin}"
CC="${RISCV_GCC:-riscv64-unknown-elf-gcc}"
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "tests/guest/devices/build.sh: '$CC' not found (apt-get install gcc-riscv64-unknown-elf, or set RISCV_GCC)." >&2
  exit 1
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"

flags=(
  -march=rv64gc -mabi=lp64d -mcmodel=medany
  -ffreestanding -nostdlib -nostartfiles -static
  -O2 -g0 -Wall
  "-ffile-prefix-map=$root/="
  -Wl,--build-id=none
  -T "$root/tests/guest/rt/link.ld"
  -I tests/guest/rt -I tests/guest/devices
)
dir=tests/guest/devices
objs="$(mktemp -d)"
trap 'rm -rf "$objs"' EXIT
"$CC" "${flags[@]}" -c tests/guest/rt/start.S -o "$objs/start.o"
"$CC" "${flags[@]}" -c tests/guest/rt/rt.c -o "$objs/rt.o"
"$CC" "${flags[@]}" -c "$dir/check.c" -o "$objs/check.o"
"$CC" "${flags[@]}" -c "$dir/virtio.c" -o "$objs/virtio.o"
common=(start.o rt.o check.o virtio.o)
built=()
for name in plic uart blk rng rtc power; do
  "$CC" "${flags[@]}" -c "$dir/$name.c" -o "$objs/$name.o"
  (cd "$objs" && "$CC" "${flags[@]}" "${common[@]}" "$name.o" -o "$name.elf")
  mv -f "$objs/$name.elf" "$out/$name.elf"
  built+=("$name.elf")
done
echo "built ${built[*]} into ${out#"$root/"}"
