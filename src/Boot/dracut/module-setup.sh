#!/bin/bash
# dracut module "arbor": the boot stage in a systemd initramfs. Install as
# /usr/lib/dracut/modules.d/98arbor/module-setup.sh and enable with add_dracutmodules+=" arbor systemd ".
# Adds only the static arbor-prepare-root binary and its unit, pulled in by initrd-root-fs.target.

ARBOR_PREPARE_ROOT=/usr/lib/arbor/arbor-prepare-root
ARBOR_UNIT=arbor-prepare-root.service

check() {
    # included only on request (255), and only where it can work: systemd in the initramfs and the binary
    if [[ -x $systemdutildir/systemd ]] && [[ -x $ARBOR_PREPARE_ROOT ]]; then
        return 255
    fi
    return 1
}

depends() {
    return 0
}

install() {
    dracut_install "$ARBOR_PREPARE_ROOT"
    inst_simple "$systemdsystemunitdir/$ARBOR_UNIT"
    mkdir -p "${initdir}${systemdsystemconfdir}/initrd-root-fs.target.wants"
    ln_r "$systemdsystemunitdir/$ARBOR_UNIT" "${systemdsystemconfdir}/initrd-root-fs.target.wants/$ARBOR_UNIT"
}
