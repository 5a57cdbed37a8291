using System.Security.Cryptography;

namespace Arbor.TestKit;

/// <summary>
/// A directory tree as comparable text: one sorted line per entry with type, mode, owner and, for
/// regular files, a content digest (symlinks: the target). Two trees are "the same file for
/// file" when their snapshots are equal. Uses find(1): tests stay off the Native layer.
/// </summary>
public static class TreeListing
{
    public static string Capture(string root, Func<string, bool>? exclude = null)
    {
        var r = ProcessRunner.Run("find", [root, "-mindepth", "1", "-printf", "%y %m %U:%G %P\\0%l\\0"]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"find {root} failed: {r.Stderr}");
        var parts = r.Stdout.Split('\0');
        var lines = new List<string>();
        for (int i = 0; i + 1 < parts.Length; i += 2)
        {
            var head = parts[i];
            var fields = head.Split(' ', 4);
            var rel = fields[3];
            if (exclude?.Invoke(rel) == true) continue;
            var line = head;
            if (fields[0] == "l") line += " -> " + parts[i + 1];
            else if (fields[0] == "f") line += " " + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Join(root, rel))))[..16];
            lines.Add(line);
        }
        lines.Sort((a, b) => string.CompareOrdinal(a.Split(' ', 4)[3], b.Split(' ', 4)[3]));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The extended attributes of every entry (getfattr), file by file in name order, for trees where they matter.</summary>
    public static string Xattrs(string root)
    {
        var r = ProcessRunner.Run("getfattr", ["-R", "-h", "-d", "-m", "-", "--absolute-names", root]);
        return ByFileName(r.Stdout.Replace(root, ""));
    }

    /// <summary>
    /// Every <c>security.*</c> xattr under <paramref name="dir"/>, values in hex (so a trailing NUL
    /// shows), file by file in name order.
    /// </summary>
    public static string SecurityXattrs(string dir)
    {
        var r = ProcessRunner.Run("getfattr", ["-R", "-h", "-d", "-e", "hex", "-m", "^security\\.", "."], workingDirectory: dir);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
        return ByFileName(r.Stdout);
    }

    /// <summary>
    /// getfattr's blocks (one per file, in directory order) sorted by file name: the two tools create
    /// entries in different orders, and a tmpfs lists a directory newest first.
    /// </summary>
    private static string ByFileName(string getfattrOutput) =>
        string.Concat(getfattrOutput.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).Select(b => b.TrimEnd('\n') + "\n\n"));
}
