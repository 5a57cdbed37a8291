#!/usr/bin/env bash
# boot.sh WORK N LABEL EXPECT_VERSION
# Boots BLS entry N of WORK/entries (its linux, initrd and options, as a BLS bootloader would) on
# WORK/disk.img in qemu-system-x86_64 (TCG, serial console, no reboot, snapshot disk), then checks the
# facts the guest's init reported: / is the deployment the entry's ostree= names, /sysroot the
# physical root, /var the stateroot's var, /etc the merged config, /usr read-only, /run/ostree-booted.
source "$(dirname "$(readlink -f "$0")")/lib.sh"
work=$1 n=$2 label=$3 expect_version=$4
entry=$work/entries/$n
options=$(sed -n 's/^options //p' "$entry.conf")
deployment=$(cat "$entry.deployment")
log=$work/serial-$label.log
timeout_s=${ARBOR_VM_TIMEOUT:-180}

vm_log "booting $label: $(sed -n 's/^title //p' "$entry.conf") -> $deployment"
start=$(date +%s%N)
set +e
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 \
    -accel tcg -m 256 -smp 1 -nographic -no-reboot \
    -kernel "$entry.linux" -initrd "$entry.initrd" \
    -append "$options console=ttyS0 rd.shell=0 panic=-1 printk.time=1" \
    -drive "file=$work/disk.img,format=raw,if=virtio,snapshot=on" \
    -nic none < /dev/null > "$log" 2>&1
rc=$?
set -e
secs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
tr -d '\r' < "$log" > "$log.txt"
[[ $rc -eq 124 || $rc -eq 137 ]] && vm_die "$label: no power-off within ${timeout_s}s (serial log: $log)"
grep -q '^ARBOR-VM end$' "$log.txt" || { tail -n 40 "$log.txt" >&2; vm_die "$label: the guest did not report (qemu exit $rc; serial log: $log)"; }

fact() { sed -n "s/^ARBOR-VM $1=//p" "$log.txt" | head -n1; }
failures=0
check() { # name expected actual
    if [[ "$2" == "$3" ]]; then printf 'vm:   ok   %-34s %s\n' "$1" "$3" >&2
    else printf 'vm:   FAIL %-34s expected [%s], got [%s]\n' "$1" "$2" "$3" >&2; failures=$((failures + 1)); fi
}
stateroot_var=/ostree/deploy/$VM_STATEROOT/var
check "/ is the deployment (version)" "$expect_version" "$(fact version)"
check "/ is the deployment (inode)" "$(fact "deploy-id.$deployment")" "$(fact root-id)"
check "/ mount root" "/ostree/deploy/$VM_STATEROOT/deploy/$deployment" "$(fact root-mount)"
check "/sysroot is the physical root" "2" "$(fact sysroot-inode)"
check "/sysroot mount root" "/" "$(fact sysroot-mount)"
check "/sysroot holds the repo" "yes" "$(fact sysroot-repo)"
check "/var is the stateroot's var" "$(fact "stateroot-var-id.$VM_STATEROOT")" "$(fact var-id)"
check "/var mount root" "$stateroot_var" "$(fact var-mount)"
check "/var writes land in the stateroot" "written from $expect_version" "$(fact var-marker)"
check "/etc holds the merged config" "version=1;local=edited;" "$(fact etc-conf)"
check "/etc has v2's new defaults" "$([[ $expect_version == 2 ]] && echo yes || echo no)" "$(fact etc-v2-only)"
check "/usr is read-only (write)" "no" "$(fact usr-writable)"
check "/usr is read-only (mount)" "ro" "$(fact usr-options | cut -d, -f1)"
check "/run/ostree-booted exists" "yes" "$(fact ostree-booted)"
if [[ $failures -gt 0 ]]; then
    grep '^ARBOR-VM-MOUNT' "$log.txt" | sed 's/^ARBOR-VM-MOUNT /vm:   mount: /' >&2
    vm_die "$label: $failures check(s) failed (serial log: $log)"
fi
vm_log "$label: all checks passed in ${secs}s"
