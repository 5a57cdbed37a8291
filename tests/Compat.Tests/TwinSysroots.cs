using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Two sysroots on one private tmpfs: <c>ostree/</c> driven by the real <c>ostree admin</c> and
/// <c>arbor/</c> driven by arbor, fed the same commits (the same trees committed with fixed
/// timestamps into both repos give the same checksums), so their results can be compared.
/// </summary>
internal sealed class TwinSysroots : IDisposable
{
    public ScratchNamespace Ns { get; } = new(384);
    public const string Os = "vectoros";

    public TwinSysroots(bool modern = false)
    {
        OstreeOracle.Require();
        Directory.CreateDirectory(Ns.HostPath("ostree"));
        Directory.CreateDirectory(Ns.HostPath("arbor"));
        Ns.OstreeOk(modern ? ["admin", "init-fs", "--modern", Ns.InnerPath("ostree")] : ["admin", "init-fs", Ns.InnerPath("ostree")]);
        Ns.OstreeOk("admin", "os-init", "--sysroot=" + Ns.InnerPath("ostree"), Os);
        InitFsOperation.Run(Ns.HostPath("arbor"), modern);
        Stateroot.Init(Arbor, Os);
    }

    public Sysroot Arbor => Sysroot.Open(Ns.HostPath("arbor"));

    public Sysroot ArborSysroot(string side) => Sysroot.Open(Ns.HostPath(side));

    /// <summary>Host path inside one of the twins: side is "ostree" or "arbor".</summary>
    public string Host(string side, string rel = "") => Ns.HostPath(side + (rel.Length > 0 ? "/" + rel : ""));

    public OsTree Tree(string name = "os") => new(Ns.HostPath("trees/" + name));

    /// <summary>The make-vectors.sh tree (v1 defaults under /usr/etc).</summary>
    public OsTree VectorTree(string name = "os") =>
        Tree(name).File("usr/etc/hostname", "host1\n").File("usr/etc/app.conf", "a=1\n").File("usr/etc/dir1/x", "x\n");

    /// <summary>Commits the tree into both repos; returns the (identical) checksum.</summary>
    public string Commit(OsTree tree, string version, int day, string branch = "vectoros/stable")
    {
        var inner = Ns.Inner + tree.Path[Ns.Path.Length..];
        var a = OsTree.Commit(Ns.Ostree, Ns.InnerPath("ostree/ostree/repo"), inner, branch, version, day);
        var b = OsTree.Commit(Ns.Ostree, Ns.InnerPath("arbor/ostree/repo"), inner, branch, version, day);
        Assert.Equal(a, b);
        return a;
    }

    /// <summary>Runs <c>ostree admin ARGS --sysroot=…</c> on one twin (inside the namespace).</summary>
    public CliResult OstreeAdmin(string side, params string[] args) =>
        Ns.Ostree(["admin", .. args, "--sysroot=" + Ns.InnerPath(side)]);

    public string OstreeAdminOk(string side, params string[] args)
    {
        var r = OstreeAdmin(side, args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"ostree admin {string.Join(' ', args)} on {side} failed:\n{r}");
        return r.Stdout;
    }

    /// <summary>Runs <c>arbor admin ARGS --sysroot=…</c> in-process on the arbor twin (or another side).</summary>
    public CliResult ArborAdmin(string side, params string[] args) => CliRunner.Run(["admin", .. args, "--sysroot=" + Host(side)]);

    public string ArborAdminOk(string side, params string[] args)
    {
        var r = ArborAdmin(side, args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"arbor admin {string.Join(' ', args)} on {side} failed:\n{r}");
        return r.Stdout;
    }

    /// <summary>arbor's deploy operation (checkout through the real ostree checkout, inside the namespace).</summary>
    public (Deployment Deployment, List<string> Journal) ArborDeploy(string side, DeployRequest request)
    {
        var journal = new List<string>();
        var d = new DeployOperation().Run(Sysroot.Open(Host(side)), request, journal.Add);
        return (d, journal);
    }

    /// <summary>The deployment directory of index <paramref name="index"/> on one side (as arbor reads it).</summary>
    public string DeploymentDir(string side, int index) => Host(side, Sysroot.Open(Host(side)).Load()[index].RelativePath);

    /// <summary>Boot entries, boot symlinks, origins and deployment directory names, as text to compare.</summary>
    public string BootState(string side)
    {
        var root = Host(side);
        var lines = new List<string>();
        foreach (var link in new[] { "boot/loader", "boot/boot", "ostree/boot.0", "ostree/boot.1" })
            lines.Add($"{link} -> {(File.Exists(Path.Join(root, link)) || Directory.Exists(Path.Join(root, link)) ? new FileInfo(Path.Join(root, link)).LinkTarget : "(none)")}");
        var snapshot = TreeListing.Capture(root, rel =>
            rel.StartsWith("ostree/repo", StringComparison.Ordinal) ||
            (rel.StartsWith("ostree/deploy/", StringComparison.Ordinal) && rel.Split('/').Length > 5));
        lines.Add(snapshot);
        foreach (var entry in Directory.EnumerateFiles(Path.Join(root, "boot/loader/entries")).Order(StringComparer.Ordinal))
            lines.Add($"== {Path.GetFileName(entry)}\n{File.ReadAllText(entry)}");
        foreach (var origin in Directory.EnumerateFiles(Path.Join(root, "ostree/deploy", Os, "deploy"), "*.origin").Order(StringComparer.Ordinal))
            lines.Add($"== {Path.GetFileName(origin)}\n{File.ReadAllText(origin)}");
        return string.Join('\n', lines);
    }

    /// <summary>The refs ostree keeps for deployments (ostree/B/S/I → checksum).</summary>
    public string DeploymentRefs(string side) => string.Join('\n', Sysroot.Open(Host(side)).Repo.Refs.ListHeads("ostree").Select(kv => $"{kv.Key} {kv.Value}"));

    public void Dispose() => Ns.Dispose();
}
