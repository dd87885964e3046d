#!/usr/bin/env bash
# run-vm-arm64.sh — boot a throw-away arm64 QEMU guest (qemu-system-aarch64 -M virt -cpu cortex-a72, Debian's own
# arm64 kernel, busybox initramfs) with a real V4L2 device, /dev/video0 from the kernel's `vivid` driver. Runs
# /data/run.sh inside it and exits with that script's status. The arm64 sibling of run-vm.sh.
#
#   scripts/vm/run-vm-arm64.sh [--sysroot DIR] [--out DIR] [--timeout SECS] [--keep-log] DATA_DIR
#
# DATA_DIR is copied to /data in the guest and must contain an executable `run.sh` (busybox sh).
# --sysroot DIR: an arm64 root (cross/.cache/sysroot-arm64) whose shared libraries the dynamically linked
#   aarch64 ELF files in DATA_DIR need; they are copied in (with ld-linux-aarch64.so.1) from there.
# --out DIR: the guest may write one binary blob to the virtio serial port named `out` (its device node is passed
#   to run.sh as $PERCH_VM_OUT); it lands in DIR/out.bin.
# The guest script's stdout/stderr come back on ours (virtio consoles hvc0/hvc1: `virt` has one usable UART).
# Exit status: the guest script's; 124 = timeout; 125 = VM/infrastructure failure.
#
# TCG only: there is no arm64 KVM on an x86_64 host. CPU: PERCH_VM_CPU (default cortex-a72; cortex-a53 and
# cortex-a76 work too).
# Env: PERCH_VM_CACHE (default /tmp/perch-vm-cache): arm64 apt state, kernel, busybox.
#      KVER pins the kernel ABI (default: what Debian's linux-image-arm64 depends on right now).
# Idempotent: every download step is skipped when its result is already in the cache. Nothing arm64 is installed
# on the host: the kernel and busybox are `apt-get download`ed through a private apt state and unpacked.
set -euo pipefail

TIMEOUT=${PERCH_VM_TIMEOUT:-180} KEEP_LOG=0 SYSROOT="" OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sysroot) SYSROOT=$(readlink -f "$2"); shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --keep-log) KEEP_LOG=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
    -*) echo "run-vm-arm64: unknown option $1" >&2; exit 125 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: run-vm-arm64.sh [--sysroot DIR] [--out DIR] [--timeout SECS] [--keep-log] DATA_DIR" >&2; exit 125; }
DATA=$(readlink -f "$1")
[ -x "$DATA/run.sh" ] || { echo "run-vm-arm64: $DATA/run.sh missing or not executable" >&2; exit 125; }

CACHE=${PERCH_VM_CACHE:-/tmp/perch-vm-cache}
mkdir -p "$CACHE"
T0=$(date +%s.%N)
since() { printf '%.1f' "$(echo "$(date +%s.%N) - $T0" | bc)"; }
log() { echo "[run-vm-arm64 +$(since)s] $*" >&2; }
die() { log "$*"; exit 125; }
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)

# ---- 1. host tools (installed only when missing)
want=(qemu-system-arm busybox-static cpio kmod bc file binutils)
missing=()
for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  "${APT[@]}" install "${missing[@]}" >>"$CACHE/apt.log" 2>&1 \
    || { apt-get -o DPkg::Lock::Timeout=600 update -q >>"$CACHE/apt.log" 2>&1 \
         && "${APT[@]}" install "${missing[@]}" >>"$CACHE/apt.log" 2>&1; } \
    || { tail -20 "$CACHE/apt.log" >&2; die "apt-get install failed"; }
fi

# ---- 2. a private arm64 apt state: no `dpkg --add-architecture`, nothing arm64 installed on the host
AS=$CACHE/apt-arm64
mkdir -p "$AS/lists/partial" "$AS/cache/archives/partial"
[ -f "$AS/status" ] || : >"$AS/status"
GAPT=(apt-get -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$AS/lists"
      -o "Dir::Cache=$AS/cache" -o "Dir::State::Status=$AS/status")
GCACHE=(apt-cache -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$AS/lists"
        -o "Dir::Cache=$AS/cache" -o "Dir::State::Status=$AS/status")
ls "$AS/lists" | grep -q '_Packages' || "${GAPT[@]}" update >>"$CACHE/apt.log" 2>&1 || log "arm64 apt-get update reported errors"

# ---- 3. guest kernel: Debian's current linux-image-arm64 ABI (an uncompressed Image: boots directly)
resolve_kver() { "${GCACHE[@]}" depends linux-image-arm64 2>/dev/null \
  | awk '/Depends: linux-image-[0-9]/{sub("linux-image-","",$2); print $2; exit}'; }
if [ -z "${KVER:-}" ]; then
  KVER=$(resolve_kver)
  [ -n "$KVER" ] || { "${GAPT[@]}" update >>"$CACHE/apt.log" 2>&1; KVER=$(resolve_kver); }
  [ -n "$KVER" ] || die "cannot resolve the kernel ABI from linux-image-arm64"
fi
KROOT=$CACHE/kernel-$KVER
if [ ! -f "$KROOT/.done" ]; then
  log "downloading linux-image-$KVER"
  rm -rf "$KROOT" "$CACHE"/linux-image-"$KVER"_*.deb
  ( cd "$CACHE" && "${GAPT[@]}" download "linux-image-$KVER" >>"$CACHE/apt.log" 2>&1 ) \
    || { "${GAPT[@]}" update >>"$CACHE/apt.log" 2>&1 \
         && ( cd "$CACHE" && "${GAPT[@]}" download "linux-image-$KVER" >>"$CACHE/apt.log" 2>&1 ); } \
    || die "apt-get download linux-image-$KVER failed"
  mkdir -p "$KROOT"
  dpkg-deb -x "$CACHE"/linux-image-"$KVER"_*.deb "$KROOT"
  depmod -b "$KROOT" "$KVER"          # Debian ships no modules.dep: it is generated at install time
  rm -f "$CACHE"/linux-image-"$KVER"_*.deb
  touch "$KROOT/.done"
  log "kernel $KVER ready"
fi
KIMG=$KROOT/boot/vmlinuz-$KVER

# ---- 4. busybox for the guest (static arm64 build from busybox-static:arm64)
BUSYBOX=$CACHE/busybox-arm64/bin/busybox
if [ ! -x "$BUSYBOX" ]; then
  rm -f "$CACHE"/busybox-static_*_arm64.deb
  ( cd "$CACHE" && "${GAPT[@]}" download busybox-static >>"$CACHE/apt.log" 2>&1 ) || die "busybox-static:arm64 download failed"
  rm -rf "$CACHE/busybox-arm64"
  dpkg-deb -x "$(ls "$CACHE"/busybox-static_*_arm64.deb | tail -1)" "$CACHE/busybox-arm64"
  rm -f "$CACHE"/busybox-static_*_arm64.deb
fi

# ---- 5. initramfs: busybox, the module chain (virtio transport + consoles, then vivid), the data dir + libraries
WORK=$(mktemp -d "$CACHE/run-arm64.XXXXXX")
[ -n "${PERCH_VM_KEEP_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
mkdir -p "$R"/{bin,dev,proc,sys,tmp,modules,data}
cp "$BUSYBOX" "$R/bin/busybox"
: >"$R/modules/order"
for m in virtio_mmio virtio_console vivid; do
  for ko in $(modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" | awk '$1=="insmod"{print $2}'); do
    b=$(basename "$ko"); grep -qx "$b" "$R/modules/order" && continue
    cp "$ko" "$R/modules/"; echo "$b" >>"$R/modules/order"
  done
done
grep -qx 'vivid.ko.*' "$R/modules/order" || die "no vivid module in $KVER"
cp -a "$DATA"/. "$R/data/"
# Shared libraries of dynamic aarch64 executables, resolved by DT_NEEDED inside the sysroot (no ldd for arm64).
copy_needed() {
  local elf=$1 lib path
  for lib in $(readelf -d "$elf" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [ -e "$R/lib/$lib" ] && continue
    path=$(find "$SYSROOT/usr/lib/aarch64-linux-gnu" "$SYSROOT/usr/lib" -maxdepth 1 -name "$lib" 2>/dev/null | head -1)
    [ -n "$path" ] || die "$lib (needed by $(basename "$elf")) is not in $SYSROOT"
    mkdir -p "$R/lib"; cp -L "$path" "$R/lib/$lib"
    copy_needed "$path"
  done
}
for f in $(find "$DATA" -type f -perm -u+x); do
  file -L "$f" | grep -q 'ARM aarch64.*dynamically linked' || continue
  [ -n "$SYSROOT" ] || die "$(basename "$f") is dynamically linked: pass --sysroot"
  copy_needed "$f"
  interp=$(readelf -l "$f" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
  [ -e "$R$interp" ] || { mkdir -p "$R$(dirname "$interp")"; cp -L "$SYSROOT$interp" "$R$interp"; }
done
[ -d "$R/lib" ] && { mkdir -p "$R/etc"; echo /lib >"$R/etc/ld.so.conf"; }
cat >"$R/init" <<'INIT'
#!/bin/busybox sh
# `busybox --install -s`, not symlinks from `busybox --list` (which lists busybox itself).
/bin/busybox --install -s /bin
export PATH=/bin HOME=/ LD_LIBRARY_PATH=/lib
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
echo 0 >/proc/sys/kernel/printk
up() { cut -d' ' -f1 /proc/uptime; }
for m in $(cat /modules/order); do
  insmod "/modules/$m" || echo "VM: insmod $m failed"
done
i=0; while { [ ! -e /dev/video0 ] || [ ! -e /dev/hvc1 ]; } && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
[ -e /dev/video0 ] || { echo "VM: /dev/video0 did not appear"; echo "VM-EXIT-STATUS=125"; poweroff -f; }
# the named virtio serial port `out` (no udev: find it through sysfs)
for p in /sys/class/virtio-ports/*; do
  [ "$(cat "$p/name" 2>/dev/null)" = out ] && export PERCH_VM_OUT=/dev/$(basename "$p")
done
echo "VM: devices ready at uptime $(up)s: $(cd /dev && ls -d video* 2>/dev/null | tr '\n' ' ')out=${PERCH_VM_OUT:-none}"
stty -F /dev/hvc0 raw -echo 2>/dev/null; stty -F /dev/hvc1 raw -echo 2>/dev/null
cd /data
./run.sh >/dev/hvc0 2>/dev/hvc1 </dev/null
rc=$?
echo "VM: run.sh finished at uptime $(up)s"
echo "VM-EXIT-STATUS=$rc"
sync; poweroff -f
INIT
chmod +x "$R/init"
( cd "$R" && find . | cpio -o -H newc --quiet ) >"$WORK/initrd.cpio"
log "initramfs $(du -m "$WORK/initrd.cpio" | cut -f1) MiB; booting $KVER on ${PERCH_VM_CPU:-cortex-a72} (TCG)"

# ---- 6. boot and collect
set +e
timeout --foreground -k 5 "$TIMEOUT" qemu-system-aarch64 -accel tcg,thread=single -M virt -cpu "${PERCH_VM_CPU:-cortex-a72}" \
  -m 768 -smp 1 -nodefaults -no-user-config -display none -no-reboot \
  -kernel "$KIMG" -initrd "$WORK/initrd.cpio" -append "console=ttyAMA0 quiet loglevel=3 panic=-1 rdinit=/init" \
  -serial "file:$WORK/console.log" -device virtio-serial-device \
  -chardev "file,id=pout,path=$WORK/stdout" -device virtconsole,chardev=pout \
  -chardev "file,id=perr,path=$WORK/stderr" -device virtconsole,chardev=perr \
  -chardev "file,id=blob,path=$WORK/out.bin" -device virtserialport,chardev=blob,name=out \
  </dev/null >"$WORK/qemu.log" 2>&1
QRC=$?
set -e
tr -d '\r' <"$WORK/stdout" 2>/dev/null || true
tr -d '\r' <"$WORK/stderr" 2>/dev/null >&2 || true
tr -d '\r' <"$WORK/console.log" >"$WORK/console.txt" 2>/dev/null || true
if [ -n "$OUT" ]; then mkdir -p "$OUT"; cp "$WORK/out.bin" "$OUT/out.bin" 2>/dev/null || : >"$OUT/out.bin"; fi
RC=$(sed -n 's/^VM-EXIT-STATUS=\([0-9]*\).*/\1/p' "$WORK/console.txt" | tail -1)
if [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then log "VM timed out after ${TIMEOUT}s"; RC=124; fi
[ -n "$RC" ] || { log "VM ended without an exit status (qemu rc=$QRC)"; RC=125; }
if [ "$KEEP_LOG" = 1 ] || [ "$RC" -ge 124 ]; then
  { echo "---- qemu"; cat "$WORK/qemu.log"; echo "---- guest console"; cat "$WORK/console.txt"; } >&2
fi
log "$(grep -h '^VM: devices ready' "$WORK/console.txt" | head -1 || true); exit $RC"
exit "$RC"
