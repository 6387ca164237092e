#!/usr/bin/env bash
# Builds edgevm-sbi (edgevm-sbi.elf for QEMU's -bios, edgevm-sbi.bin for
# edgevm) with Debian's riscv64-unknown-elf-gcc. The outputs are committed,
# so nothing else needs the toolchain; rebuild after changing the sources.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
cc=${CC:-riscv64-unknown-elf-gcc}
# rv64imac/lp64: M-mode code never touches the F/D state Linux owns
"$cc" -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -Os -g0 \
	-ffreestanding -fno-builtin -nostdlib -nostartfiles -fno-pic -fno-stack-protector \
	-ffile-prefix-map="$PWD"=. -Wall -Wextra -Werror \
	-Wl,-T,sbi.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-o edgevm-sbi.elf entry.S sbi.c
riscv64-unknown-elf-objcopy -O binary edgevm-sbi.elf edgevm-sbi.bin
riscv64-unknown-elf-strip --strip-all edgevm-sbi.elf
echo "edgevm-sbi.bin: $(stat -c %s edgevm-sbi.bin) bytes"
