using Arbor.Repo.Store;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The <c>[sysroot]</c> settings of the system repo's config that shape boot entries:
/// <c>bootloader</c> (<c>auto</c>, <c>none</c>, <c>grub2</c>, <c>syslinux</c>, <c>uboot</c>,
/// <c>zipl</c>; see <see cref="BootLoaderDetection"/>)
/// and <c>bls-append-except-default</c> (<c>key=value;…</c> pairs added to non-default entries).
/// </summary>
public sealed record BootLoaderConfig(string Bootloader, IReadOnlyList<KeyValuePair<string, string>> BlsAppendExceptDefault)
{
    /// <summary>ostree 2022.7's CFG_SYSROOT_BOOTLOADER_OPTS_STR.</summary>
    private static readonly string[] Known = ["auto", "none", "grub2", "syslinux", "uboot", "zipl"];

    /// <summary>Reads and checks the settings; ostree does so when it opens the sysroot's repo (see <see cref="Sysroot.Repo"/>).</summary>
    public static BootLoaderConfig Read(Repository repo)
    {
        var kf = repo.Config.KeyFile;
        var bootloader = kf.GetString("sysroot", "bootloader") ?? "auto";
        if (Array.IndexOf(Known, bootloader) < 0) throw new DeployException($"Invalid bootloader configuration: '{bootloader}'");
        var append = new List<KeyValuePair<string, string>>();
        foreach (var item in kf.GetStringList("sysroot", "bls-append-except-default") ?? [])
        {
            int eq = item.IndexOf('=');
            if (eq < 0) throw new DeployException("bls-append-except-default key must be of the form \"key1=value1;key2=value2...\"");
            var key = item[..eq];
            append.RemoveAll(p => p.Key == key);
            append.Add(new(key, item[(eq + 1)..]));
        }
        return new BootLoaderConfig(bootloader, append);
    }
}
