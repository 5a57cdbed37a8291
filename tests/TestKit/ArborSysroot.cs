using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.TestKit;

/// <summary>
/// A scratch sysroot made by arbor (init-fs, os-init) under /var/tmp, with OS trees committed by
/// the real ostree and deployed by arbor's deploy operation (checkout through the real
/// <c>ostree checkout</c> until Repo's engine lands). No mounts needed: arbor never freezes.
/// </summary>
public sealed class ArborSysroot : IDisposable
{
    private readonly TempDirectory _tmp = new("sysroot");

    public string Path => _tmp.Combine("sysroot");
    public Sysroot Sysroot { get; }
    public string Repo => System.IO.Path.Join(Path, "ostree/repo");
    public List<string> Journal { get; } = new();
    public List<string> Notes { get; } = new();

    public ArborSysroot(string stateroot = "vectoros")
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
        new DeployOperation().Run(Sysroot, request, Journal.Add, Notes.Add);

    public DeploymentSet Load() => Sysroot.Load();

    /// <summary>
    /// shared/vectors/make-vectors.sh's sysroot scenario: deploy v1 with two kargs, edit its /etc
    /// (modify, delete, add, chmod), commit v2 with new defaults, deploy it.
    /// </summary>
    public (string V1, string V2) RunVectorScenario()
    {
        var tree = VectorTree();
        var v1 = Commit(tree, "1", 1);
        Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros", Kargs = ["root=LABEL=root", "quiet"] });
        var d1 = Full(Load()[0].RelativePath);
        File.WriteAllText(System.IO.Path.Join(d1, "etc/app.conf"), "a=local\n");
        File.Delete(System.IO.Path.Join(d1, "etc/hostname"));
        File.WriteAllText(System.IO.Path.Join(d1, "etc/local.conf"), "local\n");
        ProcessRunner.RunOk("chmod", "600", System.IO.Path.Join(d1, "etc/dir1/x"));
        tree.File("usr/etc/app.conf", "a=2\n").File("usr/etc/hostname", "host2\n").File("usr/etc/newdefault", "new\n");
        var v2 = Commit(tree, "2", 2);
        Journal.Clear();
        Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        return (v1, v2);
    }

    /// <summary>A section of shared/vectors/sysroot.txt (the lines after "===== HEADER").</summary>
    public static List<string> VectorSection(string header)
    {
        var lines = File.ReadAllLines(Vectors.PathOf("sysroot.txt"));
        int start = Array.IndexOf(lines, "===== " + header) + 1;
        if (start == 0) throw new Xunit.Sdk.XunitException($"section {header} not in sysroot.txt");
        return lines.Skip(start).TakeWhile(l => !l.StartsWith("===== ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>A "key value" line of shared/vectors/sysroot.txt.</summary>
    public static string VectorValue(string key) =>
        File.ReadLines(Vectors.PathOf("sysroot.txt")).First(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];

    public string Full(string rel) => System.IO.Path.Join(Path, rel);

    public void Dispose() => _tmp.Dispose();
}
