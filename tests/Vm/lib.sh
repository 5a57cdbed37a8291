# Shared helpers of the VM test scripts (sourced).
set -euo pipefail
VM_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
REPO_ROOT=$(readlink -f "$VM_DIR/../..")
vm_log() { printf 'vm: %s\n' "$*" >&2; }
vm_die() { printf 'vm: FAIL: %s\n' "$*" >&2; exit 1; }
# modules the initramfs loads, in this order (dependencies are added in front by make-initramfs.sh):
# crc32c first (ext4 needs it; crc32c-intel fails under TCG, crc32c_generic then does the job)
VM_MODULES=(crc32c_generic crc32c-intel virtio_pci virtio_blk ext4)
VM_STATEROOT=tinyos
VM_BRANCH=tinyos/stable
