namespace Arbor.Compat.Tests;

/// <summary>
/// The two versions of a small tree the static delta tests commit: version 2 changes a few bytes of
/// three files (bsdiff material for ostree), adds one, deletes one and changes a symlink.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class DeltaTestTree
{
    /// <param name="bigFile">Also add a 1.5 MB random <c>usr/big.bin</c> to version 2 (over a 1 MB fallback size).</param>
    public static void Write(string root, int version, bool bigFile = false)
    {
        var rng = new Random(42);
        Directory.CreateDirectory(Path.Combine(root, "usr", "lib"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        for (int i = 0; i < 12; i++)
        {
            var data = new byte[40_000 + i * 1000];
            rng.NextBytes(data);
            if (version == 2 && i < 3) data.AsSpan(1000 + i * 10, 8).Fill((byte)'Z'); // a small change: bsdiff
            if (version == 2 && i == 11) continue;                                    // deleted in C2
            File.WriteAllBytes(Path.Combine(root, "usr", "lib", $"lib{i}.so"), data);
        }
        File.WriteAllText(Path.Combine(root, "etc", "os-release"), $"VERSION={version}\n");
        File.SetUnixFileMode(Path.Combine(root, "usr", "lib", "lib0.so"), (UnixFileMode)0x1ED); // 0755
        File.CreateSymbolicLink(Path.Combine(root, "usr", "lib", "current"), version == 1 ? "lib1.so" : "lib2.so");
        if (version == 2) File.WriteAllText(Path.Combine(root, "usr", "new.txt"), "new in two\n");
        if (version == 2 && bigFile)
        {
            var big = new byte[1_500_000];
            rng.NextBytes(big);
            File.WriteAllBytes(Path.Combine(root, "usr", "big.bin"), big);
        }
    }
}
