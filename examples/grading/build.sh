#!/usr/bin/env bash
# Builds the example course's submissions into examples/grading/submissions/
# (committed, so the example and the tests need no RISC-V toolchain):
#   sum.elf             lab 1's reference solution (static Linux, no C library)
#   sum-off-by-one.elf  subtracts 1 from sums of more than two numbers
#   sum-crash.elf       dereferences a null pointer on empty input (SIGSEGV)
#   sum-slow.elf        quadratic: spends a small budget on long inputs
#   sum-no-newline.elf  ends its output with a space, not a newline
#   fib.elf             lab 0's reference (bare metal: a0 and `result` are graded)
#   fib-wrong.elf       lab 0 with the sequence started at 1, 1
# Needs riscv64-linux-gnu-gcc and riscv64-unknown-elf-gcc (Debian:
# gcc-riscv64-linux-gnu, gcc-riscv64-unknown-elf). The build is deterministic
# (no debug info, no build id, relative paths): OUT=DIR builds into DIR/lab0-fib
# and DIR/lab1-sum instead, which tests/grade/example-build.test.ts compares
# with the committed files.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
LINUX_CC="${LINUX_CC:-riscv64-linux-gnu-gcc}"
BARE_CC="${BARE_CC:-riscv64-unknown-elf-gcc}"
for cc in "$LINUX_CC" "$BARE_CC"; do
  command -v "$cc" >/dev/null || { echo "examples/grading/build.sh: $cc not found" >&2; exit 1; }
done
common=(-Os -g0 -Wall -ffreestanding -fno-builtin -nostdlib -nostartfiles -static -Wl,--build-id=none -Wl,--no-relax "-ffile-prefix-map=$here/=")
out="${OUT:-$here}"
mkdir -p "$out/lab0-fib/submissions" "$out/lab1-sum/submissions"
linux() { "$LINUX_CC" "${common[@]}" -fno-stack-protector -o "$out/$1" src/sum.c "${@:2}"; }
linux lab1-sum/submissions/sum.elf
linux lab1-sum/submissions/sum-off-by-one.elf -DBUG_OFF_BY_ONE
linux lab1-sum/submissions/sum-crash.elf -DBUG_CRASH
linux lab1-sum/submissions/sum-slow.elf -DBUG_SLOW
linux lab1-sum/submissions/sum-no-newline.elf -DBUG_NO_NEWLINE
bare() { "$BARE_CC" "${common[@]}" -march=rv64gc -mabi=lp64d -mcmodel=medany -T src/bare.ld -Wl,-x -o "$out/$1" src/bare-start.S src/fib.c "${@:2}"; }
bare lab0-fib/submissions/fib.elf
bare lab0-fib/submissions/fib-wrong.elf -DBUG_FIB_START
ls -l "$out/lab0-fib/submissions" "$out/lab1-sum/submissions"
