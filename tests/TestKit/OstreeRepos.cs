using System.Text;

namespace Arbor.TestKit;

/// <summary>
/// Repositories made by the real ostree, for tests that check Arbor against what ostree writes:
/// a sample tree (regular, executable, empty, large, symlink, nested, private, long-named and
/// xattr'd files), <c>ostree init</c> in any mode and deterministic <c>ostree commit</c>s.
/// </summary>
public static class OstreeRepos
{
    public static readonly string[] Modes = ["archive", "bare", "bare-user", "bare-user-only"];

    /// <summary>A name over 100 bytes: tar needs a GNU long-name entry for it.</summary>
    public static readonly string LongName = new string('l', 90) + "-long-name.txt";

    public static string Init(string path, string mode)
    {
        OstreeOracle.Require();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        OstreeOracle.RunOk("init", $"--repo={path}", $"--mode={mode}");
        return path;
    }

    /// <summary>Writes the sample tree into <paramref name="dir"/>; xattrs only when asked (bare-user-only cannot hold them).</summary>
    public static string WriteSampleTree(string dir, bool xattrs = true, string variant = "")
    {
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        Directory.CreateDirectory(Path.Combine(dir, "sub", "nested"));
        Directory.CreateDirectory(Path.Combine(dir, "emptydir"));
        Directory.CreateDirectory(Path.Combine(dir, "private"));
        Write(dir, "hello.txt", "hello" + variant + "\n", 0x1A4);
        Write(dir, "empty", "", 0x1A4);
        Write(dir, "bin/tool", "#!/bin/sh\necho tool\n", 0x1ED);
        Write(dir, "sub/nested/deep.txt", "deep\n", 0x1A4);
        Write(dir, "private/secret", "secret\n", 0x180);
        SetMode(Path.Combine(dir, "private"), 0x1C0);
        Write(dir, LongName, "long\n", 0x1A4);
        var big = new byte[300 * 1024];
        new Random(7).NextBytes(big.AsSpan(0, big.Length / 2)); // half random, half zeros: compressible but not trivially
        File.WriteAllBytes(Path.Combine(dir, "big.bin"), big);
        File.CreateSymbolicLink(Path.Combine(dir, "link"), "hello.txt");
        File.CreateSymbolicLink(Path.Combine(dir, "sub", "abs-link"), "/etc/os-release");
        if (xattrs)
        {
            Write(dir, "xattr.txt", "has xattrs\n", 0x1A4);
            ProcessRunner.RunOk("setfattr", "-n", "user.arbor.test", "-v", "value", Path.Combine(dir, "xattr.txt"));
        }
        return dir;
    }

    /// <summary>Commits with fixed owner and timestamp; returns the commit checksum.</summary>
    public static string Commit(string repo, string branch, string tree, string mode, params string[] extra)
    {
        var args = new List<string>
        {
            "commit", $"--repo={repo}", $"--branch={branch}", "--owner-uid=0", "--owner-gid=0",
            "--timestamp=2021-01-01T00:00:00Z", "--subject=test",
        };
        if (mode == "bare-user-only") args.Add("--canonical-permissions");
        args.AddRange(extra);
        args.Add(tree);
        return OstreeOracle.RunOk([.. args]).Trim();
    }

    /// <summary>A repository in <paramref name="mode"/> holding one commit of the sample tree on <c>main</c>.</summary>
    public static (string Repo, string Commit) Sample(string root, string mode)
    {
        var repo = Init(Path.Combine(root, "repo-" + mode), mode);
        var tree = WriteSampleTree(Path.Combine(root, "tree-" + mode), xattrs: mode != "bare-user-only");
        return (repo, Commit(repo, "main", tree, mode));
    }

    /// <summary>The loose path of an object (<paramref name="ext"/> without the dot; FILE objects are .filez in archive repos).</summary>
    public static string ObjectPath(string repo, string checksum, string ext) =>
        Path.Combine(repo, "objects", checksum[..2], $"{checksum[2..]}.{ext}");

    public static string FileObjectPath(string repo, string mode, string checksum) =>
        ObjectPath(repo, checksum, mode == "archive" ? "filez" : "file");

    /// <summary>The content checksum of a path in a commit, from <c>ostree ls -C</c>.</summary>
    public static string ChecksumOf(string repo, string rev, string path)
    {
        var line = OstreeOracle.RunOk("ls", $"--repo={repo}", "-C", "-d", rev, path).Trim();
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields[4];
    }

    /// <summary>The dirtree checksum of a directory in a commit (<c>ostree ls -C -d</c> prints the dirtree, then the dirmeta).</summary>
    public static string ChecksumOfDir(string repo, string rev, string path) => ChecksumOf(repo, rev, path);

    /// <summary>Copies a repository with modes, owners, timestamps and xattrs (cp -a).</summary>
    public static string Copy(string from, string to)
    {
        ProcessRunner.RunOk("cp", "-a", from, to);
        return to;
    }

    public static void FlipByte(string path, long offset)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        fs.Position = offset < 0 ? fs.Length + offset : offset;
        int b = fs.ReadByte();
        fs.Position--;
        fs.WriteByte((byte)(b ^ 0xFF));
    }

    public static void Truncate(string path, long length)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
        fs.SetLength(length);
    }

    private static void Write(string dir, string relative, string text, int mode)
    {
        var path = Path.Combine(dir, relative);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        SetMode(path, mode);
    }

    public static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Arbor's tests run on Linux");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }
}
