using Arbor.Repo.Native;

namespace Arbor.Boot;

/// <summary>
/// The deployment an <c>ostree=</c> argument names, resolved under the physical root without ever
/// leaving it (boot-stage.md §2). The chain <c>ostree/boot.N -> boot.N.M</c>,
/// <c>…/STATEROOT/BOOTCSUM/S -> ../../../deploy/STATEROOT/deploy/CSUM.S</c> is followed one component at
/// a time, as the kernel would, except that an absolute link target, a <c>..</c> above the sysroot or
/// more than <see cref="MaxSymlinks"/> links (a loop) is refused with a one-line error naming the link.
/// </summary>
internal sealed record DeploymentTarget(
    string Sysroot,
    string OstreeArgument,
    string Path,
    string RelativePath,
    string Stateroot)
{
    /// <summary>As the kernel's MAXSYMLINKS.</summary>
    public const int MaxSymlinks = 40;

    /// <summary>The stateroot's shared /var: <c>ostree/deploy/STATEROOT/var</c>.</summary>
    public string StaterootVar => $"{Sysroot}/ostree/deploy/{Stateroot}/var";

    /// <summary>The deployment directory's name, <c>CSUM.SERIAL</c>.</summary>
    public string Name => RelativePath[(RelativePath.LastIndexOf('/') + 1)..];

    public static DeploymentTarget Resolve(string sysroot, string ostreeArgument)
    {
        sysroot = NormalizeRoot(sysroot);
        var shown = Join(sysroot, ostreeArgument.TrimStart('/'));
        var parts = Components(ostreeArgument);
        if (parts.Count == 0)
            throw new BootException($"ostree={ostreeArgument} names the sysroot itself, not a deployment");

        // ostree-prepare-root: lstat(root + "/" + ostree=) must be a symbolic link (the bootloader link)
        var parent = Walk(sysroot, parts.GetRange(0, parts.Count - 1), ostreeArgument);
        var linkPath = Join(sysroot, Join(parent, parts[^1]));
        var link = Files.TryLStat(linkPath)
            ?? throw new BootException($"Couldn't find specified OSTree root '{shown}': No such file or directory");
        if (!link.IsSymlink)
            throw new BootException($"OSTree target is not a symbolic link: {shown}");

        var relative = Walk(sysroot, parts, ostreeArgument);
        var path = Join(sysroot, relative);
        var st = Files.TryLStat(path)
            ?? throw new BootException($"Couldn't find specified OSTree root '{path}': No such file or directory");
        if (!st.IsDirectory)
            throw new BootException($"OSTree deployment {path} (from ostree={ostreeArgument}) is not a directory");

        // ostree/deploy/STATEROOT/deploy/CSUM.SERIAL: the stateroot's var is ../../var from here
        var p = relative.Split('/');
        if (p.Length != 5 || p[0] != "ostree" || p[1] != "deploy" || p[3] != "deploy")
            throw new BootException($"OSTree deployment {path} (from ostree={ostreeArgument}) is not under {sysroot}/ostree/deploy/STATEROOT/deploy/");
        return new DeploymentTarget(sysroot, ostreeArgument, path, relative, p[2]);
    }

    /// <summary>
    /// Resolves <paramref name="parts"/> below <paramref name="sysroot"/>, following symbolic links
    /// confined to it. Returns the resolved path relative to the sysroot ("" for the sysroot itself).
    /// </summary>
    private static string Walk(string sysroot, List<string> parts, string argument)
    {
        var done = new List<string>();
        var pending = new LinkedList<string>(parts);
        int links = 0;
        while (pending.First is { } node)
        {
            var name = node.Value;
            pending.RemoveFirst();
            if (name == ".") continue;
            if (name == "..")
            {
                if (done.Count == 0)
                    throw new BootException($"ostree={argument} leads out of the sysroot {sysroot}");
                done.RemoveAt(done.Count - 1);
                continue;
            }
            var path = Join(sysroot, Join(string.Join('/', done), name));
            var st = Files.TryLStat(path)
                ?? throw new BootException($"Couldn't find specified OSTree root '{path}': No such file or directory");
            if (st.IsSymlink)
            {
                if (++links > MaxSymlinks)
                    throw new BootException($"Too many levels of symbolic links at {path} (a loop?) resolving ostree={argument}");
                var target = Files.ReadLink(path);
                if (target.Length == 0)
                    throw new BootException($"Empty symbolic link {path} resolving ostree={argument}");
                if (target[0] == '/')
                    throw new BootException($"Refusing symbolic link {path} -> {target}: an absolute target leaves the sysroot {sysroot}");
                var targetParts = Components(target);
                int depth = done.Count;
                foreach (var t in targetParts)
                {
                    depth = t == ".." ? depth - 1 : t == "." ? depth : depth + 1;
                    if (depth < 0)
                        throw new BootException($"Refusing symbolic link {path} -> {target}: it leads out of the sysroot {sysroot}");
                }
                for (int i = targetParts.Count - 1; i >= 0; i--) pending.AddFirst(targetParts[i]);
                continue;
            }
            if (pending.Count > 0 && !st.IsDirectory)
                throw new BootException($"Couldn't find specified OSTree root '{path}': Not a directory");
            done.Add(name);
        }
        return string.Join('/', done);
    }

    private static List<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string Join(string a, string b) =>
        a.Length == 0 ? b : b.Length == 0 ? a : a.EndsWith('/') ? a + b : a + "/" + b;

    /// <summary>An absolute path without a trailing slash ("/" stays "/").</summary>
    internal static string NormalizeRoot(string sysroot)
    {
        var full = System.IO.Path.GetFullPath(sysroot);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
