namespace Arbor.TestKit;

/// <summary>
/// Builds a source tree with every feature a commit or a checkout has to carry: unicode and space
/// names, empty files and directories, relative, absolute and dangling symlinks, 0700/0500/0000
/// directories, setuid/setgid/sticky bits, hardlinks, user.* and security.* xattrs (on files and
/// directories), owners 1000:1000 (files, directories, symlinks), an unreadable file, a file over
/// 64 KiB, a directory of 600 entries and a deep path. Needs root (chown, security.* xattrs) and
/// setfattr (package attr).
/// </summary>
public static class FeatureTree
{
    /// <summary>Entries in the "many" directory: more than one checkout batch.</summary>
    public const int ManyCount = 600;

    public static void Create(string root)
    {
        Directory.CreateDirectory(root);
        Write(root, "a.txt", "hello\n", 0x1A4 /* 0644 */);
        Write(root, "empty", "", 0x1A4 /* 0644 */);
        Write(root, "with space/ümlaut file.txt", "umlaut\n", 0x1A4 /* 0644 */);
        Directory.CreateDirectory(Path.Combine(root, "emptydir"));
        Write(root, "bin/tool", "#!/bin/sh\necho tool\n", 0x1ED /* 0755 */);
        Write(root, "setuid", "suid\n", 0x9ED /* 04755 */);
        Write(root, "setgid", "sgid\n", 0x5ED /* 02755 */);
        Write(root, "unreadable", "write only\n", 0x80 /* 0200 */);
        Write(root, "big.bin", new string('x', 50_000) + string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + i % 26))), 0x1A4 /* 0644 */);
        Write(root, "tmp/note", "sticky\n", 0x1A4 /* 0644 */);
        Mode(Path.Combine(root, "tmp"), 0x3FF /* 01777 */);
        Write(root, "private/secret", "secret\n", 0x180 /* 0600 */);
        Mode(Path.Combine(root, "private"), 0x1C0 /* 0700 */);
        Write(root, "readonly/f", "read only\n", 0x124 /* 0444 */);
        Mode(Path.Combine(root, "readonly"), 0x140 /* 0500 */);
        Write(root, "locked/inside", "locked\n", 0x1A4 /* 0644 */);
        Mode(Path.Combine(root, "locked"), 0);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(root, "abs"), "/etc/os-release");
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), "nowhere/at/all");
        Write(root, "hl1", "hardlinked\n", 0x1A4 /* 0644 */);
        Run("ln", Path.Combine(root, "hl1"), Path.Combine(root, "hl2"));
        Run("setfattr", "-n", "user.test", "-v", "value", Path.Combine(root, "a.txt"));
        Run("setfattr", "-n", "user.other", "-v", "0x00ff10", Path.Combine(root, "a.txt"));
        Run("setfattr", "-n", "security.arbor", "-v", "sec", Path.Combine(root, "hl1"));
        Run("setfattr", "-n", "user.dir", "-v", "d", Path.Combine(root, "with space"));
        Write(root, "home/user/owned.txt", "owned\n", 0x1A4 /* 0644 */);
        File.CreateSymbolicLink(Path.Combine(root, "home/user/owned-link"), "owned.txt");
        Run("chown", "-h", "-R", "1000:1000", Path.Combine(root, "home/user"));
        for (int i = 0; i < ManyCount; i++) Write(root, $"many/f{i:D4}", i % 7 == 0 ? "" : $"entry {i}\n", 0x1A4 /* 0644 */);
        Write(root, "deep/a/b/c/d/e/leaf.txt", "deep\n", 0x1A4 /* 0644 */);
    }

    private static void Write(string root, string rel, string content, int mode)
    {
        var path = Path.Combine(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        Mode(path, mode);
    }

    private static void Mode(string path, int mode)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("feature trees need Linux");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    private static void Run(string file, params string[] args)
    {
        var r = ProcessRunner.Run(file, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {r.Stderr}");
    }
}
