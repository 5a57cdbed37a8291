namespace Arbor.TestKit;

/// <summary>Writes small, varied directory trees for commit/pull tests: text, binary, executable,
/// symlinks, nested and empty directories, many small files, and optionally a large incompressible file.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class SampleTree
{
    /// <param name="dir">Created if missing.</param>
    /// <param name="version">Changes the content of a few files (for a second commit).</param>
    /// <param name="largeBytes">Size of <c>large/blob.bin</c> (random, so its .filez is as large); 0 for none.</param>
    /// <param name="smallFiles">How many small files under <c>many/</c>.</param>
    public static void Write(string dir, int version = 1, int largeBytes = 0, int smallFiles = 40)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "hello.txt"), $"Hello, version {version}!\n");
        File.WriteAllText(Path.Combine(dir, "stable.txt"), "This file never changes.\n");
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        var tool = Path.Combine(dir, "bin", "tool");
        File.WriteAllText(tool, "#!/bin/sh\necho tool\n");
        File.SetUnixFileMode(tool, (UnixFileMode)0b111_101_101);
        var link = Path.Combine(dir, "link");
        if (!File.Exists(link)) File.CreateSymbolicLink(link, "hello.txt");
        Directory.CreateDirectory(Path.Combine(dir, "emptydir"));
        Directory.CreateDirectory(Path.Combine(dir, "a", "b", "c"));
        File.WriteAllText(Path.Combine(dir, "a", "b", "c", "deep.txt"), $"deep {version}\n");
        var rng = new Random(1234);
        var bin = new byte[5000];
        rng.NextBytes(bin);
        File.WriteAllBytes(Path.Combine(dir, "random.bin"), bin);
        Directory.CreateDirectory(Path.Combine(dir, "many"));
        for (int i = 0; i < smallFiles; i++)
            File.WriteAllText(Path.Combine(dir, "many", $"f{i:D4}.txt"), $"small file {i}\n" + new string('x', i * 7));
        if (version > 1) File.WriteAllText(Path.Combine(dir, "many", "added.txt"), $"added in version {version}\n");
        if (largeBytes > 0)
        {
            Directory.CreateDirectory(Path.Combine(dir, "large"));
            var large = new byte[largeBytes];
            new Random(99).NextBytes(large);
            File.WriteAllBytes(Path.Combine(dir, "large", "blob.bin"), large);
        }
    }
}
