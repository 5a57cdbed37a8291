#!/usr/bin/env bash
# The main job end to end, on a scratch sysroot (a tmpfs in a private mount namespace: this
# machine's /, /boot and /sysroot are never touched):
#   build a tiny OS tree, commit it, look at it (log, ls, checkout, fsck), serve the repo over
#   plain HTTP, pull it into a sysroot, deploy, edit /etc, upgrade to version 2 (three-way /etc
#   merge, shown before and after), roll back, status.
# Usage (as root): scripts/demo.sh    (installs what it needs on Debian 12 first; ARBOR_DEMO_KEEP=1 keeps the files)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

if [[ ${1:-} != --inside ]]; then
    [[ $(id -u) -eq 0 ]] || { echo "demo: run as root: deployments need real owners and mounts" >&2; exit 1; }
    "$root/scripts/setup.sh"
    "$root/arbor" --version >/dev/null   # builds the CLI once, before the clock starts
    exec unshare -m --propagation private "$0" --inside
fi

arbor=$root/arbor
work=$(mktemp -d /var/tmp/arbor-demo.XXXXXX)
mount -t tmpfs -o size=256m,mode=0755 arbor-demo "$work"
server_pid=
finish() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
    if [[ -z ${ARBOR_DEMO_KEEP:-} ]]; then umount -l "$work" && rmdir "$work"; else echo "demo: files kept in $work (inside the namespace: gone after exit unless copied)"; fi
}
trap finish EXIT

bold=$'\e[1m' dim=$'\e[2m' off=$'\e[0m'
[[ -t 1 ]] || bold= dim= off=
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
run() { printf '%s$ %s%s\n' "$dim" "${*//$work/\$W}" "$off"; "$@"; }
t0=$(date +%s.%N)

server=$work/server
sysroot=$work/sysroot
ref=demo/x86_64/stable

tree() { # tree VERSION -> a copy of fixtures/demo-os/vVERSION without the .keep placeholders
    rm -rf "$work/tree-v$1"; cp -a "$root/fixtures/demo-os/v$1" "$work/tree-v$1"
    find "$work/tree-v$1" -name .keep -delete
    echo "$work/tree-v$1"
}

step "1. A repository, and version 1 of a tiny OS committed into it"
run "$arbor" init --repo="$server" --mode=archive
run "$arbor" commit --repo="$server" -b "$ref" -s "Demo OS 1" --add-metadata-string=version=1 \
    --owner-uid=0 --owner-gid=0 --tree=dir="$(tree 1)"
run "$arbor" log --repo="$server" "$ref"
run "$arbor" ls --repo="$server" -R "$ref" /usr/etc
run "$arbor" checkout --repo="$server" "$ref" "$work/checkout"
run cat "$work/checkout/usr/etc/app.conf"
run "$arbor" fsck --repo="$server"

step "2. Served by a plain static web server"
run "$arbor" summary --repo="$server" -u
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$server" "$port" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/config" >/dev/null && break; sleep 0.1; done
echo "serving $server on http://127.0.0.1:$port/"

step "3. A sysroot, the remote, a pull and the first deployment"
run mkdir "$sysroot"
run "$arbor" admin init-fs "$sysroot"
run "$arbor" admin os-init --sysroot="$sysroot" demo
run "$arbor" remote add --repo="$sysroot/ostree/repo" --no-gpg-verify demo "http://127.0.0.1:$port" "$ref"
run "$arbor" pull --repo="$sysroot/ostree/repo" demo "$ref"
run "$arbor" admin deploy --sysroot="$sysroot" --os=demo --karg=root=LABEL=demo-root --karg=quiet "demo:$ref"
run "$arbor" admin status --sysroot="$sysroot"
run cat "$sysroot"/boot/loader/entries/ostree-1-demo.conf

step "4. Local changes to /etc in the deployment"
dep=$(ls -d "$sysroot"/ostree/deploy/demo/deploy/*.0)
printf '# demo application\ngreeting=hello from this machine\ncolour=blue\n' > "$dep/etc/app.conf"
echo "demo-host" > "$dep/etc/hostname"
echo "local=yes" > "$dep/etc/local.conf"
rm "$dep/etc/demo.d/logging.conf"
run "$arbor" admin config-diff --sysroot="$sysroot" --os=demo

step "5. Version 2 published; the machine upgrades"
run "$arbor" commit --repo="$server" -b "$ref" -s "Demo OS 2" --add-metadata-string=version=2 \
    --owner-uid=0 --owner-gid=0 --tree=dir="$(tree 2)"
run "$arbor" summary --repo="$server" -u
run "$arbor" admin upgrade --sysroot="$sysroot" --os=demo --check
run "$arbor" admin upgrade --sysroot="$sysroot" --os=demo --pull-only
echo "what the /etc merge will do, before anything is written:"
run "$arbor" admin deploy --sysroot="$sysroot" --os=demo --dry-run "demo:$ref"
run "$arbor" admin upgrade --sysroot="$sysroot" --os=demo --deploy-only
run "$arbor" admin status --sysroot="$sysroot"
for d in "$sysroot"/ostree/deploy/demo/deploy/*.0; do if [[ $d != "$dep" ]]; then new=$d; fi; done
echo "the merged /etc/app.conf (local edit kept over the new default), and v2's new file:"
run cat "$new/etc/app.conf"
run ls "$new/etc/demo.d"
run "$arbor" admin upgrade --sysroot="$sysroot" --os=demo --check || echo "(exit $?: nothing new)"

step "6. Roll back to version 1"
run "$arbor" admin rollback --sysroot="$sysroot"
run "$arbor" admin status --sysroot="$sysroot"
run "$arbor" admin status --sysroot="$sysroot" --json
run ls -l "$sysroot/boot/loader" "$sysroot/ostree"
run "$arbor" fsck --repo="$sysroot/ostree/repo"

printf '\n%sdemo: done in %.1f s%s\n' "$bold" "$(echo "$(date +%s.%N) - $t0" | bc)" "$off"
