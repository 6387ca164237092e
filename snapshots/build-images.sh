#!/usr/bin/env bash
# Builds edgevm's Linux base-image inputs, reproducibly, from Debian packages:
#   Image              Linux 6.1 (linux-source-6.1) for riscv64, tinyconfig +
#                      linux/linux.config, with the initramfs built in
#   initramfs.cpio.gz  static busybox 1.35 (Debian's source package) + our
#                      init and console-session
# into ${XDG_CACHE_HOME:-$HOME/.cache}/edgevm/images/<key>/, where <key> hashes
# every input (this folder's files and the pinned package versions), so the
# same inputs always land in, and reuse, the same folder.
#
#   build-images.sh               build unless the cache has this key
#   build-images.sh --force       build again, replacing the cached images
#   build-images.sh --verify      build again elsewhere, compare byte for byte
#   build-images.sh --print-dir   print the output folder for these inputs
#
# Exit status: 0 built or up to date, 1 the build failed, 3 installed packages
# differ from the pins in versions.env (nothing was built).
#
# Offline except for the first busybox source fetch (one Debian source
# package through a private apt directory; the system's sources stay as
# they are). EDGEVM_JOBS sets make's -j (default 2, niced).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
export SOURCE_DATE_EPOCH KBUILD_BUILD_TIMESTAMP KBUILD_BUILD_USER KBUILD_BUILD_HOST KBUILD_BUILD_VERSION
export LC_ALL=C TZ=UTC
umask 022

cache=${XDG_CACHE_HOME:-$HOME/.cache}/edgevm
jobs=${EDGEVM_JOBS:-2}
mode=${1:-build}
started=$SECONDS

say() { printf '[images %3ds] %s\n' $((SECONDS - started)) "$*" >&2; }
die() { printf 'images: %s\n' "$*" >&2; exit 1; }

# --- inputs ------------------------------------------------------------------

check_pins() {
	local pin name want have bad=0
	for pin in $PIN_PACKAGES; do
		name=${pin%%=*} want=${pin#*=}
		have=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null || true)
		if [ "$have" != "$want" ]; then
			printf 'images: %s is %s, pinned %s (snapshots/versions.env)\n' \
				"$name" "${have:-not installed}" "$want" >&2
			bad=1
		fi
	done
	if [ $bad != 0 ]; then
		echo "images: installed packages differ from the pins; install them or change the pins" >&2
		exit 3
	fi
}

check_tools() {
	for tool in riscv64-linux-gnu-gcc gcc make bison flex bc gzip cpio dpkg-source; do
		command -v $tool >/dev/null || die "$tool is missing (see docs/linux-images.md for the packages)"
	done
}

input_key() {
	# every file of this folder that a build reads, by content, plus the pins
	( cd "$here" && find build-images.sh versions.env linux busybox initramfs -type f | sort |
		xargs sha256sum; printf '%s\n' $PIN_PACKAGES "$BUSYBOX_SOURCE_VERSION" ) |
		sha256sum | cut -c1-16
}

# --- busybox -------------------------------------------------------------------

# The archive the system installs from, for a deb-src line of the same.
system_archive() {
	local uri
	uri=$(apt-get indextargets --format '$(REPO_URI)' 'Created-By: Packages' 2>/dev/null |
		grep -v security | head -n1 || true)
	[ -n "$uri" ] || die "cannot tell which Debian archive this system uses (apt-get indextargets)"
	printf '%s\n' "${uri%/}"
}

fetch_busybox_source() {
	local src=$cache/src apt=$cache/apt
	mkdir -p "$src"
	if [ ! -f "$src/$BUSYBOX_ORIG" ] || [ ! -f "$src/$BUSYBOX_DEBIAN" ] || [ ! -f "$src/$BUSYBOX_DSC" ]; then
		say "busybox: fetching Debian source $BUSYBOX_SOURCE_VERSION (private apt dir $apt)"
		local suite keyring
		suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
		keyring=/usr/share/keyrings/debian-archive-keyring.gpg
		mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
		echo "deb-src [signed-by=$keyring] $(system_archive) $suite main" > "$apt/sources.list"
		local opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o "Dir::Etc::sourceparts=-"
			-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
			-o "APT::Sandbox::User=root" -qq)
		apt-get "${opts[@]}" update
		( cd "$src" && apt-get "${opts[@]}" source --download-only "busybox=$BUSYBOX_SOURCE_VERSION" )
	fi
	( cd "$src" && printf '%s  %s\n' "$BUSYBOX_ORIG_SHA256" "$BUSYBOX_ORIG" \
		"$BUSYBOX_DEBIAN_SHA256" "$BUSYBOX_DEBIAN" | sha256sum --quiet -c - ) ||
		die "busybox source in $src does not match its pinned sha256"
}

build_busybox() {
	local dir=$work/busybox
	say "busybox: unpacking and configuring (Debian's busybox-static config)"
	dpkg-source --no-check -x "$cache/src/$BUSYBOX_DSC" "$dir" >"$work/busybox-unpack.log" 2>&1 ||
		die "dpkg-source failed: $work/busybox-unpack.log"
	cp "$dir/debian/config/pkg/static" "$dir/.config"
	merge_options "$here/busybox/busybox.config" "$dir/.config"
	( cd "$dir" && { yes '' || true; } | make oldconfig >"$work/busybox.log" 2>&1 )
	check_options "$here/busybox/busybox.config" "$dir/.config"
	say "busybox: building (nice make -j$jobs, log $work/busybox.log)"
	with_progress busybox "$work/busybox.log" make -C "$dir" -j"$jobs" BB_EXTRA_VERSION=edgevm busybox busybox.links
}

# Runs a niced make in the background, saying every 15 s how many files it
# has compiled; its output goes to LOG.
with_progress() {
	local what=$1 log=$2
	shift 2
	( nice -n 10 "$@" >>"$log" 2>&1 ) &
	local pid=$!
	while kill -0 $pid 2>/dev/null; do
		sleep 15
		kill -0 $pid 2>/dev/null && say "$what: $(grep -c '^  CC' "$log" || true) files compiled"
	done
	wait $pid || { tail -n 30 "$log" >&2; die "$what build failed (log $log)"; }
}

# --- initramfs -------------------------------------------------------------------

build_initramfs() {
	local root=$work/rootfs list=$work/initramfs.list
	say "initramfs: init, console-session, busybox and its applet links"
	mkdir -p "$root"
	install -m 0755 "$work/busybox/busybox" "$root/busybox"
	install -m 0755 "$here/initramfs/init" "$root/init"
	riscv64-linux-gnu-gcc -Os -static -s -Wall -ffile-prefix-map="$here"=. \
		-o "$root/console-session" "$here/initramfs/console-session.c"
	touch -h -d "@$SOURCE_DATE_EPOCH" "$root"/*

	# gen_init_cpio (the kernel's own) makes device nodes without root; its
	# entries keep the listed order, so the list is sorted; a file's mtime
	# is its own (touched above), every other entry's is -t.
	gcc -O2 -o "$work/gen_init_cpio" "$work/linux/usr/gen_init_cpio.c"
	{
		printf 'dir %s 0755 0 0\n' /bin /dev /etc /proc /root /sbin /sys /tmp /usr /usr/bin /usr/sbin
		printf 'nod /dev/console 0600 0 0 c 5 1\n'
		printf 'nod /dev/null 0666 0 0 c 1 3\n'
		printf 'file /init %s 0755 0 0\n' "$root/init"
		printf 'file /bin/busybox %s 0755 0 0\n' "$root/busybox"
		printf 'file /sbin/console-session %s 0755 0 0\n' "$root/console-session"
		grep -v '^/bin/busybox$' "$work/busybox/busybox.links" | while read -r link; do
			printf 'slink %s /bin/busybox 0777 0 0\n' "$link"
		done
	} | sort -k2,2 -u > "$list"
	"$work/gen_init_cpio" -t "$SOURCE_DATE_EPOCH" "$list" > "$work/initramfs.cpio"
	gzip -n -9 < "$work/initramfs.cpio" > "$work/initramfs.cpio.gz"
}

# --- Linux -------------------------------------------------------------------

# Sets a fragment's options in a .config: each option's old line (set or
# "is not set") goes, the fragment's line is appended.
merge_options() {
	local name
	for name in $(grep -oE '^(# )?CONFIG_[A-Za-z0-9_]+' "$1" | sed 's/^# //'); do
		sed -i -E "/^(# )?$name( is not set|=)/d" "$2"
	done
	grep -E '^(CONFIG_|# CONFIG_)' "$1" | sed "s|@INITRAMFS_CPIO@|${initramfs_cpio:-}|" >> "$2"
}

# Every option of the fragment must survive olddefconfig unchanged.
check_options() {
	local line missing=0
	while IFS= read -r line; do
		grep -qxF -- "$line" "$2" || { echo "images: $2 lost: $line" >&2; missing=1; }
	done < <(grep -E '^(CONFIG_|# CONFIG_)' "$1" | sed "s|@INITRAMFS_CPIO@|${initramfs_cpio:-}|")
	[ $missing = 0 ] || die "options of $1 did not survive configuration (a missing dependency?)"
}

unpack_linux() {
	say "linux: unpacking /usr/src/linux-source-6.1.tar.xz"
	mkdir -p "$work/linux"
	tar -xf /usr/src/linux-source-6.1.tar.xz -C "$work/linux" --strip-components=1
}

build_linux() {
	local dir=$work/linux
	local kmake=(make -C "$dir" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-)
	# relative to the kernel tree, so no build path reaches the Image
	initramfs_cpio=edgevm-initramfs.cpio
	cp "$work/initramfs.cpio" "$dir/$initramfs_cpio"
	say "linux: tinyconfig + linux/linux.config"
	"${kmake[@]}" tinyconfig >"$work/linux.log" 2>&1
	merge_options "$here/linux/linux.config" "$dir/.config"
	"${kmake[@]}" olddefconfig >>"$work/linux.log" 2>&1
	check_options "$here/linux/linux.config" "$dir/.config"
	say "linux: building Image (nice make -j$jobs, about 600 files; log $work/linux.log)"
	with_progress linux "$work/linux.log" "${kmake[@]}" -j"$jobs" Image
}

# --- outputs -------------------------------------------------------------------

collect() {
	local out=$1
	mkdir -p "$out"
	cp "$work/linux/arch/riscv/boot/Image" "$out/Image"
	cp "$work/initramfs.cpio.gz" "$out/initramfs.cpio.gz"
	cp "$work/linux/.config" "$out/linux.config"
	cp "$work/linux/System.map" "$out/System.map"
	cp "$work/busybox/.config" "$out/busybox.config"
	cp "$work/initramfs.list" "$out/initramfs.list"
	( cd "$out" && sha256sum Image initramfs.cpio.gz > SHA256SUMS )
	{
		echo "key $key"
		echo "built-in-seconds $((SECONDS - started))"
		echo "busybox-source $BUSYBOX_SOURCE_VERSION"
		printf 'package %s\n' $PIN_PACKAGES
		echo "linux-release $(cat "$work/linux/include/config/kernel.release")"
	} > "$out/BUILDINFO"
}

build_all() {
	local out=$1
	check_tools
	work=$(mktemp -d "$cache/build.XXXXXX")
	say "working in $work (removed when the build succeeds)"
	fetch_busybox_source
	unpack_linux
	build_busybox
	build_initramfs
	build_linux
	collect "$out"
	rm -rf "$work"
	say "done: $out ($(stat -c %s "$out/Image") byte Image, $(stat -c %s "$out/initramfs.cpio.gz") byte initramfs)"
}

check_pins
key=$(input_key)
dest=$cache/images/$key
mkdir -p "$cache/images"

case $mode in
--print-dir)
	echo "$dest" ;;
build|--force)
	if [ "$mode" = build ] && [ -f "$dest/SHA256SUMS" ]; then
		say "up to date: $dest"; cat "$dest/SHA256SUMS" >&2; exit 0
	fi
	rm -rf "$dest.new"
	build_all "$dest.new"
	rm -rf "$dest"; mv "$dest.new" "$dest"
	cat "$dest/SHA256SUMS" >&2 ;;
--verify)
	[ -f "$dest/SHA256SUMS" ] || die "nothing to verify: build first"
	rm -rf "$dest.verify"
	build_all "$dest.verify"
	if cmp -s "$dest/SHA256SUMS" "$dest.verify/SHA256SUMS"; then
		say "reproducible: a second build gave byte-identical images"; cat "$dest/SHA256SUMS" >&2
		rm -rf "$dest.verify"
	else
		diff "$dest/SHA256SUMS" "$dest.verify/SHA256SUMS" >&2 || true
		die "NOT reproducible: compare $dest and $dest.verify"
	fi ;;
*)
	die "usage: build-images.sh [--force|--verify|--print-dir]" ;;
esac
