using Arbor.Repo.Core;
using System.Globalization;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// <c>admin instutil grub2-generate [BOOTVERSION]</c>, which <c>/etc/grub.d/15_ostree</c> runs under
/// grub-mkconfig: the menu entries (<see cref="Grub2Config"/>) of boot version BOOTVERSION, else of
/// <c>$_OSTREE_GRUB2_BOOTVERSION</c> (set by the GRUB backend during a deploy), else of the current
/// one. 15_ostree passes the boot device in <c>$GRUB2_BOOT_DEVICE_ID</c> and
/// <c>$GRUB2_PREPARE_ROOT_CACHE</c>.
/// </summary>
public static class Grub2Generate
{
    public const string DeviceIdVariable = "GRUB2_BOOT_DEVICE_ID";
    public const string PrepareRootVariable = "GRUB2_PREPARE_ROOT_CACHE";

    /// <param name="argument">BOOTVERSION as given on the command line, or null.</param>
    /// <param name="env">Reads an environment variable.</param>
    public static string Run(Sysroot sysroot, DeploymentSet set, string? argument, Func<string, string?> env)
    {
        var text = argument ?? env(Grub2Backend.BootVersionVariable);
        uint bootversion = text is null ? (uint)set.BootVersion.Version : ParseBootVersion(text);
        if (bootversion > 1) throw new DeployException($"Invalid bootversion: {bootversion.ToString(CultureInfo.InvariantCulture)}");
        // ostree asserts (and aborts) here: only grub-mkconfig's 15_ostree sets these
        var deviceId = env(DeviceIdVariable) ?? throw new DeployException($"{DeviceIdVariable} is not set (grub2-generate is run by grub-mkconfig through /etc/grub.d/15_ostree)");
        var prepareRoot = env(PrepareRootVariable) ?? throw new DeployException($"{PrepareRootVariable} is not set (grub2-generate is run by grub-mkconfig through /etc/grub.d/15_ostree)");
        return Grub2Config.Generate(SysrootLoader.ReadEntries(sysroot.Path, (int)bootversion), deviceId, prepareRoot);
    }

    /// <summary>
    /// ostree reads BOOTVERSION with g_ascii_strtoull and keeps the low 32 bits: leading blanks and
    /// a sign are accepted, digits are read up to the first other character (none: 0), an overflow
    /// gives 2^64−1, and a minus sign negates modulo 2^64. So "abc" is 0, "1x" is 1, "4294967297" is 1.
    /// </summary>
    public static uint ParseBootVersion(string text) => unchecked((uint)GAsciiNumber.ToUInt64(text));
}
