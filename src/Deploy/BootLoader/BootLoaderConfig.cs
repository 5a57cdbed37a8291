using Arbor.Repo.Store;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The <c>[sysroot]</c> settings of the system repo's config that shape boot entries:
/// <c>bootloader</c> (arbor writes BLS entries only, so <c>auto</c> and <c>none</c> are accepted)
/// and <c>bls-append-except-default</c> (<c>key=value;…</c> pairs added to non-default entries).
/// </summary>
public sealed record BootLoaderConfig(string Bootloader, IReadOnlyList<KeyValuePair<string, string>> BlsAppendExceptDefault)
{
    private static readonly string[] Known = ["auto", "none", "grub2", "syslinux", "uboot", "zipl", "aboot"];

    public static BootLoaderConfig Read(Repository repo)
    {
        var kf = repo.Config.KeyFile;
        var bootloader = kf.GetString("sysroot", "bootloader") ?? "auto";
        if (Array.IndexOf(Known, bootloader) < 0) throw new DeployException($"Invalid bootloader configuration: '{bootloader}'");
        if (bootloader is not ("auto" or "none"))
            throw new DeployException($"Bootloader '{bootloader}' is not supported: arbor writes Boot Loader Specification entries only (set sysroot.bootloader=none)");
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
