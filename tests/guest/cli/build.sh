#!/usr/bin/env bash
# Builds the CLI test fixtures into tests/guest/cli/ (committed, so the tests
# need no RISC-V toolchain):
#   hello.elf            C on tests/guest/rt: prints "hello from edgevm", exits with code 3
#   spin.elf             an endless loop, for --max-insns (exit 124)
#   print-then-spin.elf  prints "spinning", then loops: the console must stream
#   echo.elf             echoes UART input upper-cased until a '.'; console input
#   trap-loop.elf        traps to an unfetchable handler: the core must stop with a fault
# Deterministic like tests/guest/build.sh (relative source paths, no debug info,
# no build id). Check them on the reference board:
#   qemu-system-riscv64 -machine virt -nographic -bios none -kernel tests/guest/cli/hello.elf; echo $?
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CC="${RISCV_GCC:-riscv64-unknown-elf-gcc}"
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "tests/guest/cli/build.sh: '$CC' not found (apt-get install gcc-riscv64-unknown-elf, or set RISCV_GCC)." >&2
  exit 1
fi
cd "$root"

flags=(
  -march=rv64gc -mabi=lp64d -mcmodel=medany
  -ffreestanding -nostdlib -nostartfiles -static
  -O2 -g0 -Wall
  "-ffile-prefix-map=$root/="
  -Wl,--build-id=none
  -T tests/guest/rt/link.ld
  -I tests/guest/rt
)
dir=tests/guest/cli

# Assembly is assembled to objects with fixed names first: linked straight from
# a .S, ld names its STT_FILE symbol after gcc's random temporary object.
obj="$(mktemp -d)"
trap 'rm -rf "$obj"' EXIT
"$CC" "${flags[@]}" -c tests/guest/rt/start.S -o "$obj/start.o"
"$CC" "${flags[@]}" -c "$dir/spin.S" -o "$obj/spin.o"
"$CC" "${flags[@]}" -c "$dir/trap-loop.S" -o "$obj/trap-loop.o"
rt=("$obj/start.o" tests/guest/rt/rt.c)

"$CC" "${flags[@]}" "${rt[@]}" "$dir/hello.c" -o "$dir/hello.elf"
"$CC" "${flags[@]}" "${rt[@]}" "$dir/print-then-spin.c" -o "$dir/print-then-spin.elf"
"$CC" "${flags[@]}" "${rt[@]}" "$dir/echo.c" -o "$dir/echo.elf"
"$CC" "${flags[@]}" "$obj/spin.o" -o "$dir/spin.elf"
"$CC" "${flags[@]}" "$obj/trap-loop.o" -o "$dir/trap-loop.elf"
echo "built hello.elf, print-then-spin.elf, echo.elf, spin.elf, trap-loop.elf into $dir"
