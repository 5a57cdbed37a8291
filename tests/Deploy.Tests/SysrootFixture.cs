using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests;

/// <summary>
/// A scratch sysroot made by arbor (init-fs, os-init) under /var/tmp, with OS trees committed by
/// the real ostree and deployed by arbor's deploy operation (checkout through the real
/// <c>ostree checkout</c> until Repo's engine lands). No mounts needed: arbor never freezes.
/// </summary>
internal sealed class SysrootFixture : IDisposable
{
    private readonly TempDirectory _tmp = new("sysroot");

    public string Path => _tmp.Combine("sysroot");
    public Sysroot Sysroot { get; }
    public string Repo => System.IO.Path.Join(Path, "ostree/repo");
    public List<string> Journal { get; } = new();
    public List<string> Notes { get; } = new();

    public SysrootFixture(string stateroot = "vectoros")
    {
        Directory.CreateDirectory(Path);
        InitFsOperation.Run(Path, modern: false);
        Sysroot = Sysroot.Open(Path);
        Stateroot.Init(Sysroot, stateroot);
    }

    /// <summary>The OS tree of shared/vectors/make-vectors.sh's sysroot scenario (v1).</summary>
    public OsTree VectorTree(string name = "os")
    {
        var t = new OsTree(_tmp.Combine(name));
        t.File("usr/etc/hostname", "host1\n").File("usr/etc/app.conf", "a=1\n").File("usr/etc/dir1/x", "x\n");
        return t;
    }

    public OsTree Tree(string name) => new(_tmp.Combine(name));

    public string Commit(OsTree tree, string version, int day, string branch = "vectoros/stable") =>
        OsTree.Commit(args => OstreeOracle.Run(args), Repo, tree.Path, branch, version, day);

    public Deployment Deploy(DeployRequest request) =>
        new DeployOperation(new OstreeTreeCheckout()).Run(Sysroot, request, Journal.Add, Notes.Add);

    public DeploymentSet Load() => Sysroot.Load();

    public string Full(string rel) => System.IO.Path.Join(Path, rel);

    public void Dispose() => _tmp.Dispose();
}
