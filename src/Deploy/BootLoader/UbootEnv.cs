namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The <c>uEnv.txt</c> ostree 2022.7's U-Boot backend writes: for each BLS entry, in order,
/// <c>kernel_imageN=</c>, <c>ramdisk_imageN=</c>, <c>fdt_fileN=</c> (from <c>devicetree</c>),
/// <c>fdtdirN=</c> (from <c>fdtdir</c>), all under <c>/boot</c>, and <c>bootargsN=</c>; N is empty
/// for the first entry, then 2, 3… After the first entry's <c>bootargs</c> comes the text of
/// its deployment's <c>usr/lib/ostree-boot/uEnv.txt</c>, if there is one. Pure: the caller reads
/// that file (<paramref name="systemUenv"/> gets the path relative to the sysroot, null when absent).
/// </summary>
public static class UbootEnv
{
    public const string SystemUenvInDeployment = "/usr/lib/ostree-boot/uEnv.txt";

    public static string Generate(IReadOnlyList<BootLoaderEntry> entries, Func<string, string?> systemUenv)
    {
        var lines = new List<string>();
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var n = i == 0 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var linux = e.Linux ?? throw new DeployException("No \"linux\" key in bootloader config");
            lines.Add($"kernel_image{n}=/boot{linux}");
            if (e.Initrd is { } initrd) lines.Add($"ramdisk_image{n}=/boot{initrd}");
            if (e.Get("devicetree") is { } dt) lines.Add($"fdt_file{n}=/boot{dt}");
            if (e.Get("fdtdir") is { } fdtdir) lines.Add($"fdtdir{n}=/boot{fdtdir}");
            if (e.Options is not { } options) continue;
            lines.Add($"bootargs{n}={options}");
            if (i != 0) continue;
            var ostree = KernelArgs.Parse(options).GetLastValue("ostree");
            if (string.IsNullOrEmpty(ostree)) throw new DeployException("No ostree= kernel argument found in boot loader configuration file");
            if (systemUenv(ostree[1..] + SystemUenvInDeployment) is { } text) lines.Add(text);
        }
        return ConfigLines.Join(lines);
    }
}
