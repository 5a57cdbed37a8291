using Arbor.TestKit;

namespace Arbor.Boot.Tests;

/// <summary>
/// A hand-made sysroot layout in a temp directory (no root needed): one stateroot, one deployment and
/// the boot.N -> boot.N.M -> deploy link chain as ostree writes it.
/// </summary>
internal sealed class ScratchSysroot : IDisposable
{
    public const string Stateroot = "vectoros";
    public const string Deploy = "3e5a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a.0";
    public const string BootCsum = "8f2d1c9b7e6a5d4c3b2a19f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b";
    public const string OstreeArg = $"/ostree/boot.1/{Stateroot}/{BootCsum}/0";

    private readonly TempDirectory _tmp = new("boot-");

    public string Root { get; }
    public string DeploymentPath => $"{Root}/ostree/deploy/{Stateroot}/deploy/{Deploy}";
    public string LinkPath => $"{Root}/ostree/boot.1.1/{Stateroot}/{BootCsum}/0";

    public ScratchSysroot()
    {
        Root = _tmp.Combine("sysroot");
        foreach (var d in new[] { "usr", "etc", "var", "sysroot", "boot" })
            Directory.CreateDirectory($"{DeploymentPath}/{d}");
        Directory.CreateDirectory($"{Root}/ostree/deploy/{Stateroot}/var");
        Directory.CreateDirectory($"{Root}/ostree/repo");
        Directory.CreateDirectory($"{Root}/boot/loader.1/entries");
        File.CreateSymbolicLink($"{Root}/boot/loader", "loader.1");
        Directory.CreateDirectory(Path.GetDirectoryName(LinkPath)!);
        File.CreateSymbolicLink(LinkPath, $"../../../deploy/{Stateroot}/deploy/{Deploy}");
        File.CreateSymbolicLink($"{Root}/ostree/boot.1", "boot.1.1");
    }

    public string Full(string rel) => Path.Join(Root, rel);

    /// <summary>Replaces whatever is at <paramref name="rel"/> with a symbolic link.</summary>
    public void Link(string rel, string target)
    {
        var p = Full(rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        if (new FileInfo(p).LinkTarget is not null || File.Exists(p)) File.Delete(p);
        else if (Directory.Exists(p)) Directory.Delete(p, true);
        File.CreateSymbolicLink(p, target);
    }

    public void Dispose() => _tmp.Dispose();
}
