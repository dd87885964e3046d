#!/usr/bin/env bash
# run-vm.sh — boot a throw-away QEMU x86_64 guest (Debian's own kernel + a busybox initramfs) that has real
# V4L2 devices: /dev/video0 from the kernel's `vivid` test driver and, with --loopback, /dev/video10 from
# v4l2loopback. Runs /data/run.sh inside it and exits with that script's status.
#
#   scripts/vm/run-vm.sh [--loopback] [--timeout SECS] [--keep-log] DATA_DIR
#
# DATA_DIR is copied to /data in the guest and must contain an executable `run.sh` (busybox sh). The shared
# libraries of every dynamically linked ELF file in DATA_DIR are copied in at their host paths.
# The guest script's stdout/stderr come back on ours (separate serial ports).
# Exit status: the guest script's; 124 = timeout; 125 = VM/infrastructure failure.
#
# Why TCG and not KVM: on Firecracker hosts /dev/kvm is a nested kvm_pvm on which a stock kernel does not boot
# (see docs in scripts/vm/README.md). PERCH_VM_ACCEL=kvm tries KVM on hosts with real VT-x/SVM.
#
# Env: PERCH_VM_CACHE (default /tmp/perch-vm-cache): kernel .deb, extracted kernel, v4l2loopback.ko, apt log.
#      KVER pins the kernel ABI (default: what Debian's linux-image-amd64 depends on right now).
# Idempotent: every download and build step is skipped when its result is already in the cache.
set -euo pipefail

LOOPBACK=0 TIMEOUT=${PERCH_VM_TIMEOUT:-180} KEEP_LOG=0
while [ $# -gt 0 ]; do
  case "$1" in
    --loopback) LOOPBACK=1; shift ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --keep-log) KEEP_LOG=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
    -*) echo "run-vm: unknown option $1" >&2; exit 125 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: run-vm.sh [--loopback] [--timeout SECS] [--keep-log] DATA_DIR" >&2; exit 125; }
DATA=$(readlink -f "$1")
[ -x "$DATA/run.sh" ] || { echo "run-vm: $DATA/run.sh missing or not executable" >&2; exit 125; }

CACHE=${PERCH_VM_CACHE:-/tmp/perch-vm-cache}
mkdir -p "$CACHE"
T0=$(date +%s.%N)
since() { printf '%.1f' "$(echo "$(date +%s.%N) - $T0" | bc)"; }
log() { echo "[run-vm +$(since)s] $*" >&2; }
die() { log "$*"; exit 125; }
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends)

# ---- 1. host tools (installed only when missing)
want=(qemu-system-x86 busybox-static cpio kmod bc file python3)
[ "$LOOPBACK" = 1 ] && want+=(v4l2loopback-source make gcc bzip2 libc6-dev)
missing=()
for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  "${APT[@]}" install "${missing[@]}" >>"$CACHE/apt.log" 2>&1 \
    || { apt-get -o DPkg::Lock::Timeout=600 update -q >>"$CACHE/apt.log" 2>&1 \
         && "${APT[@]}" install "${missing[@]}" >>"$CACHE/apt.log" 2>&1; } \
    || { tail -20 "$CACHE/apt.log" >&2; die "apt-get install failed"; }
fi

# ---- 2. guest kernel: Debian's current linux-image-amd64 ABI, downloaded (never installed) and cached
resolve_kver() { apt-cache depends linux-image-amd64 2>/dev/null \
  | awk '/Depends: linux-image-[0-9]/{sub("linux-image-","",$2); print $2; exit}'; }
if [ -z "${KVER:-}" ]; then
  KVER=$(resolve_kver)
  [ -n "$KVER" ] || { apt-get -o DPkg::Lock::Timeout=600 update -q >>"$CACHE/apt.log" 2>&1; KVER=$(resolve_kver); }
  [ -n "$KVER" ] || die "cannot resolve the kernel ABI from linux-image-amd64"
fi
KROOT=$CACHE/kernel-$KVER
if [ ! -f "$KROOT/.done" ]; then
  log "downloading linux-image-$KVER"
  rm -rf "$KROOT" "$CACHE"/linux-image-"$KVER"_*.deb
  ( cd "$CACHE" && apt-get download -q "linux-image-$KVER" >>"$CACHE/apt.log" 2>&1 ) \
    || { apt-get -o DPkg::Lock::Timeout=600 update -q >>"$CACHE/apt.log" 2>&1 \
         && ( cd "$CACHE" && apt-get download -q "linux-image-$KVER" >>"$CACHE/apt.log" 2>&1 ); } \
    || die "apt-get download linux-image-$KVER failed"
  mkdir -p "$KROOT"
  dpkg-deb -x "$CACHE"/linux-image-"$KVER"_*.deb "$KROOT"
  depmod -b "$KROOT" "$KVER"          # Debian ships no modules.dep: it is generated at install time
  # An uncompressed vmlinux boots through QEMU's PVH entry and skips SeaBIOS + the xz decompressor
  # (about 4 s per boot under TCG).
  python3 - "$KROOT/boot/vmlinuz-$KVER" "$KROOT/boot/vmlinux-$KVER" <<'PY' || log "no vmlinux extracted; booting the bzImage"
import lzma, sys
data = open(sys.argv[1], "rb").read()
start = data.find(b"\xfd7zXZ\x00")
if start < 0:
    sys.exit(1)
open(sys.argv[2], "wb").write(lzma.LZMADecompressor().decompress(data[start:]))
PY
  rm -f "$CACHE"/linux-image-"$KVER"_*.deb  # the extracted tree is all we need
  touch "$KROOT/.done"
  log "kernel $KVER ready"
fi
KIMG=$KROOT/boot/vmlinuz-$KVER
[ -s "$KROOT/boot/vmlinux-$KVER" ] && KIMG=$KROOT/boot/vmlinux-$KVER

# ---- 3. v4l2loopback built against the guest kernel's headers (cached per kernel)
LOOPKO=
if [ "$LOOPBACK" = 1 ]; then
  LOOPKO=$CACHE/v4l2loopback-$KVER.ko
  if [ ! -f "$LOOPKO" ]; then
    dpkg -s "linux-headers-$KVER" >/dev/null 2>&1 || { log "installing linux-headers-$KVER";
      "${APT[@]}" install "linux-headers-$KVER" >>"$CACHE/apt.log" 2>&1 || die "cannot install linux-headers-$KVER"; }
    SRC=$CACHE/v4l2loopback-src
    rm -rf "$SRC"; mkdir -p "$SRC"
    tar -xjf /usr/src/v4l2loopback.tar.bz2 -C "$SRC"
    make -C "/usr/src/linux-headers-$KVER" M="$SRC/modules/v4l2loopback" modules >"$CACHE/v4l2loopback-build.log" 2>&1 \
      || { tail -20 "$CACHE/v4l2loopback-build.log" >&2; die "v4l2loopback build failed"; }
    cp "$SRC/modules/v4l2loopback/v4l2loopback.ko" "$LOOPKO.tmp" && mv "$LOOPKO.tmp" "$LOOPKO"
    log "v4l2loopback built"
  fi
fi

# ---- 4. initramfs: busybox, vivid's module chain (dependency order from modprobe), the data dir + its libraries
WORK=$(mktemp -d "$CACHE/run.XXXXXX")
[ -n "${PERCH_VM_KEEP_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
mkdir -p "$R"/{bin,dev,proc,sys,tmp,modules,data}
cp /bin/busybox "$R/bin/busybox"
: >"$R/modules/order"
for ko in $(modprobe -d "$KROOT" -S "$KVER" --show-depends vivid | awk '$1=="insmod"{print $2}'); do
  cp "$ko" "$R/modules/"; basename "$ko" >>"$R/modules/order"
done
grep -qx 'vivid.ko.*' "$R/modules/order" || die "no vivid module in $KVER"
[ -n "$LOOPKO" ] && cp "$LOOPKO" "$R/modules/v4l2loopback.ko"
cp -a "$DATA"/. "$R/data/"
for f in $(find "$DATA" -type f -perm -u+x); do
  file -L "$f" | grep -q 'dynamically linked' || continue
  for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
    [ -f "$lib" ] && [ ! -e "$R$lib" ] && { mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"; }
  done
done
cat >"$R/init" <<'INIT'
#!/bin/busybox sh
# Note: `busybox --install -s` (not symlinks from `busybox --list`, which lists busybox itself).
/bin/busybox --install -s /bin
export PATH=/bin HOME=/
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
echo 0 >/proc/sys/kernel/printk
up() { cut -d' ' -f1 /proc/uptime; }
for m in $(cat /modules/order); do
  insmod "/modules/$m" || echo "VM: insmod $m failed"
done
[ -f /modules/v4l2loopback.ko ] && { insmod /modules/v4l2loopback.ko video_nr=10 exclusive_caps=0 card_label=loopback || echo "VM: insmod v4l2loopback failed"; }
i=0; while { [ ! -e /dev/video0 ] || [ ! -e /dev/ttyS2 ]; } && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
[ -e /dev/video0 ] || { echo "VM: /dev/video0 did not appear"; echo "VM-EXIT-STATUS=125"; poweroff -f; }
echo "VM: devices ready at uptime $(up)s: $(cd /dev && ls -d video* 2>/dev/null | tr '\n' ' ')"
stty -F /dev/ttyS1 raw -echo 2>/dev/null; stty -F /dev/ttyS2 raw -echo 2>/dev/null
cd /data
./run.sh >/dev/ttyS1 2>/dev/ttyS2 </dev/null
rc=$?
echo "VM: run.sh finished at uptime $(up)s"
echo "VM-EXIT-STATUS=$rc"
sync; poweroff -f
INIT
chmod +x "$R/init"
( cd "$R" && find . | cpio -o -H newc --quiet ) >"$WORK/initrd.cpio"
log "initramfs $(du -m "$WORK/initrd.cpio" | cut -f1) MiB; booting $KVER under ${PERCH_VM_ACCEL:-tcg}"

# ---- 5. boot (TCG) and collect
ACC=(-accel tcg,thread=single -cpu max)
if [ "${PERCH_VM_ACCEL:-tcg}" = kvm ] && [ -w /dev/kvm ]; then ACC=(-accel kvm -cpu host,-arch-capabilities); fi
set +e
timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 "${ACC[@]}" -M q35 -m 768 -smp 1 -nodefaults -no-user-config \
  -display none -no-reboot -kernel "$KIMG" -initrd "$WORK/initrd.cpio" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init" \
  -serial "file:$WORK/console.log" -serial "file:$WORK/stdout" -serial "file:$WORK/stderr" \
  </dev/null >"$WORK/qemu.log" 2>&1
QRC=$?
set -e
cat "$WORK/stdout" 2>/dev/null | tr -d '\r'
cat "$WORK/stderr" 2>/dev/null | tr -d '\r' >&2
tr -d '\r' <"$WORK/console.log" >"$WORK/console.txt" 2>/dev/null || true
RC=$(sed -n 's/^VM-EXIT-STATUS=\([0-9]*\).*/\1/p' "$WORK/console.txt" | tail -1)
if [ "$QRC" = 124 ] || [ "$QRC" = 137 ]; then log "VM timed out after ${TIMEOUT}s"; RC=124; fi
[ -n "$RC" ] || { log "VM ended without an exit status (qemu rc=$QRC)"; RC=125; }
if [ "$KEEP_LOG" = 1 ] || [ "$RC" -ge 124 ]; then
  { echo "---- qemu"; cat "$WORK/qemu.log"; echo "---- guest console"; cat "$WORK/console.txt"; } >&2
fi
log "$(grep -h '^VM: devices ready' "$WORK/console.txt" | head -1 || true); exit $RC"
exit "$RC"
