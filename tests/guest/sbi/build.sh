#!/usr/bin/env bash
# Builds sbi-check.elf (committed): the S-mode payload that exercises edgevm-sbi.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
riscv64-unknown-elf-gcc -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -Os -g0 \
	-ffreestanding -fno-builtin -nostdlib -nostartfiles -fno-pic -fno-stack-protector \
	-ffile-prefix-map="$PWD"=. -Wall -Werror -Wl,-T,link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-o sbi-check.elf entry.S sbi-check.c
riscv64-unknown-elf-strip --strip-all sbi-check.elf
