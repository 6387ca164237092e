#!/usr/bin/env bash
# Regenerates the expected results of the Linux corpus by running every case
# under qemu-riscv64 (the reference): bin/CASE.stdout, bin/CASE.stderr and
# bin/CASE.status (the exit status a shell reports: 128+N for signal N).
#
# A case is a program in bin/, or CASE = NAME@VARIANT running bin/NAME, with
# optional inputs beside it: CASE.args (one argument per line), CASE.env (one
# KEY=VALUE per line; the environment is exactly that, nothing inherited),
# CASE.stdin (else stdin is empty) and CASE.files (repository-relative paths
# the program opens: qemu reads them from the checkout, the differential test
# copies them into edgevm's file system). Programs run from the repository root as
# tests/guest/linux/bin/NAME, the argv[0] the differential test gives edgevm,
# with core dumps off so that qemu prints nothing of its own on a signal.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
bin="tests/guest/linux/bin"
QEMU="${QEMU_RISCV64:-qemu-riscv64}"
command -v "$QEMU" >/dev/null 2>&1 || { echo "gen-expected.sh: $QEMU not found (Debian/Ubuntu: apt-get install qemu-user)" >&2; exit 1; }
QEMU="$(command -v "$QEMU")"
cd "$root"

cases() {
  for f in "$bin"/*; do
    [ -d "$f" ] && continue # bin/hangs: programs that never end (build.sh)
    case "$f" in
      *.stdout | *.stderr | *.status | */TOOLCHAIN) ;;
      *.args | *.env | *.stdin | *.files) basename "${f%.*}" ;;
      *) basename "$f" ;;
    esac
  done | LC_ALL=C sort -u
}

count=0
for case in $(cases); do
  name="${case%%@*}"
  [ -x "$bin/$name" ] || { echo "gen-expected.sh: $case has no program $bin/$name" >&2; exit 1; }
  args=()
  [ -f "$bin/$case.args" ] && mapfile -t args <"$bin/$case.args"
  env=()
  [ -f "$bin/$case.env" ] && mapfile -t env <"$bin/$case.env"
  stdin=/dev/null
  [ -f "$bin/$case.stdin" ] && stdin="$bin/$case.stdin"
  set +e
  (ulimit -c 0; exec env -i "${env[@]}" "$QEMU" "$bin/$name" "${args[@]}") <"$stdin" >"$bin/$case.stdout" 2>"$bin/$case.stderr"
  echo $? >"$bin/$case.status"
  set -e
  count=$((count + 1))
done
echo "ran $count cases under $("$QEMU" --version | head -n 1)"
