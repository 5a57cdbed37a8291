using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Etc;

/// <summary>Three /etc trees in a scratch directory: old defaults (usr/etc), old current (etc), new defaults.</summary>
internal sealed class EtcTestTree : IDisposable
{
    private readonly TempDirectory _tmp = new("etc");

    public string OldDefaults => _tmp.Combine("old/usr/etc");
    public string OldCurrent => _tmp.Combine("old/etc");
    public string New => _tmp.Combine("new/etc");

    public EtcTestTree()
    {
        Directory.CreateDirectory(OldDefaults);
        Directory.CreateDirectory(New);
    }

    /// <summary>Writes the same file into the old defaults and the new defaults.</summary>
    public void Default(string rel, string content)
    {
        Write(OldDefaults, rel, content);
        Write(New, rel, content);
    }

    /// <summary>Copies the old defaults to the old current etc (what deploy does), keeping modes and owners.</summary>
    public void Deploy() => ProcessRunner.RunOk("cp", "-a", OldDefaults, OldCurrent);

    public static void Write(string root, string rel, string content, UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        var p = Path.Join(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, content);
        File.SetUnixFileMode(p, mode);
    }

    public void Dispose() => _tmp.Dispose();
}
