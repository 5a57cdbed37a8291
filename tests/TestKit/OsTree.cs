namespace Arbor.TestKit;

/// <summary>
/// Builds small bootable-looking OS trees (kernel + initramfs under usr/lib/modules, os-release,
/// /usr/etc defaults) and commits them with the real ostree with fixed timestamps, so the same
/// tree gives the same commit in every repo (as shared/vectors/make-vectors.sh does).
/// </summary>
public sealed class OsTree
{
    private readonly string _dir;

    public OsTree(string dir, string kernelVersion = "6.1.0-vec", string kernel = "kernel\n", string? initramfs = "initrd\n", string prettyName = "Vector OS")
    {
        _dir = dir;
        Directory.CreateDirectory(dir);
        File("usr/lib/modules/" + kernelVersion + "/vmlinuz", kernel);
        if (initramfs is not null) File("usr/lib/modules/" + kernelVersion + "/initramfs.img", initramfs);
        File("usr/lib/os-release", $"NAME=\"Vector OS\"\nID=vectoros\nPRETTY_NAME=\"{prettyName}\"\n");
        File("usr/bin/hi", "#!/bin/sh\necho hi\n", "755");
        Dir("usr/etc");
    }

    public string Path => _dir;

    public OsTree File(string rel, string content, string mode = "644")
    {
        var p = System.IO.Path.Join(_dir, rel);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, content);
        ProcessRunner.RunOk("chmod", mode, p);
        return this;
    }

    public OsTree Dir(string rel, string mode = "755")
    {
        var p = System.IO.Path.Join(_dir, rel);
        Directory.CreateDirectory(p);
        ProcessRunner.RunOk("chmod", mode, p);
        return this;
    }

    public OsTree Symlink(string rel, string target)
    {
        var p = System.IO.Path.Join(_dir, rel);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        if (System.IO.File.Exists(p) || Directory.Exists(p)) System.IO.File.Delete(p);
        System.IO.File.CreateSymbolicLink(p, target);
        return this;
    }

    public OsTree Remove(string rel)
    {
        var p = System.IO.Path.Join(_dir, rel);
        if (Directory.Exists(p)) Directory.Delete(p, true); else System.IO.File.Delete(p);
        return this;
    }

    /// <summary>
    /// Commits the tree with the real ostree (<paramref name="run"/> runs it, e.g. inside a
    /// namespace; paths are the ones that runner sees) and returns the checksum.
    /// </summary>
    public static string Commit(Func<string[], CliResult> run, string repo, string tree, string branch, string version, int day)
    {
        var r = run(["commit", "--repo=" + repo, "-b", branch, "--owner-uid=0", "--owner-gid=0",
            $"--timestamp=2021-02-{day:00}T00:00:00Z", "-s", "OS v" + version, "--add-metadata-string=version=" + version, tree]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"ostree commit failed:\n{r}");
        return r.Stdout.Trim();
    }
}
