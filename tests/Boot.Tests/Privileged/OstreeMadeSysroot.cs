using Arbor.TestKit;

namespace Arbor.Boot.Tests.Privileged;

/// <summary>
/// A sysroot made by the real <c>ostree admin init-fs / os-init / deploy</c> — or, with
/// <see cref="SysrootTool.Arbor"/>, by the same steps through <c>arbor admin</c> — on a tmpfs in a private
/// mount namespace (deploy freezes the filesystem holding /boot: never the host's). Two deployments of a small
/// tree (v1 then v2, with a local /etc edit made in v1 before v2 is deployed so that the 3-way merge has
/// something to carry), the BLS entries' command lines kept for the tests.
/// </summary>
internal sealed class OstreeMadeSysroot : IDisposable
{
    public const string Stateroot = "tinyos";
    public const string Branch = "tinyos/stable";

    public ScratchNamespace Ns { get; }

    /// <summary>Paths inside the namespace.</summary>
    public string Sysroot => Ns.InnerPath("sysroot");
    public string Repo => Ns.InnerPath("repo");

    /// <summary>Deployment directory names (CSUM.SERIAL) and command lines: [0] default (v2), [1] rollback (v1).</summary>
    public List<string> Deployments { get; } = new();
    public List<string> CommandLines { get; } = new();

    private readonly SysrootTool _tool;

    public OstreeMadeSysroot(int deployments = 2, SysrootTool tool = SysrootTool.Ostree)
    {
        _tool = tool;
        OstreeOracle.Require();
        Ns = new ScratchNamespace(128);
        try
        {
            Build(deployments);
        }
        catch
        {
            Ns.Dispose();
            throw;
        }
    }

    public string Host(string rel) => Ns.HostPath(rel);

    /// <summary><c>admin ARGS</c> inside the namespace, by the chosen tool.</summary>
    private void Admin(params string[] args)
    {
        if (_tool == SysrootTool.Ostree)
        {
            Ns.OstreeOk(["admin", .. args]);
            return;
        }
        var r = Ns.Run(ArborProcess.Executable, ["admin", .. args]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"arbor admin {string.Join(' ', args)} failed:\n{r}");
    }

    private void Build(int count)
    {
        Ns.OstreeOk("init", "--repo=" + Repo, "--mode=archive");
        Directory.CreateDirectory(Host("sysroot"));
        Admin("init-fs", Sysroot);
        Admin("os-init", "--sysroot=" + Sysroot, Stateroot);
        for (int v = 1; v <= count; v++)
        {
            var tree = new OsTree(Host($"tree-v{v}"), kernelVersion: "6.1.0-tiny", kernel: $"kernel v{v}\n", initramfs: $"initrd v{v}\n", prettyName: $"Tiny OS {v}");
            foreach (var d in new[] { "sysroot", "var", "boot", "dev", "proc", "sys", "run", "tmp" }) tree.Dir(d);
            tree.File("usr/etc/arbor-test.conf", $"version={v}\n");
            tree.File("usr/lib/arbor-test/version", $"{v}\n");
            OsTree.Commit(a => Ns.Ostree(a), Repo, Ns.InnerPath($"tree-v{v}"), Branch, v.ToString(System.Globalization.CultureInfo.InvariantCulture), v);
            Ns.OstreeOk("pull-local", "--repo=" + Sysroot + "/ostree/repo", Repo, Branch);
            Admin("deploy", "--sysroot=" + Sysroot, "--os=" + Stateroot, "--karg=root=/dev/vda", "--karg=rw", Branch);
            if (v == 1)
            {
                // a local edit the 3-way merge must carry into v2
                var dep = Directory.GetDirectories(Host($"sysroot/ostree/deploy/{Stateroot}/deploy")).Single();
                File.WriteAllText(System.IO.Path.Join(dep, "etc/arbor-test.conf"), "version=1\nlocal=edited\n");
            }
        }
        // the default entry is the one with the highest version
        var entries = Directory.GetFiles(Host("sysroot/boot/loader/entries"), "*.conf")
            .Select(f => File.ReadAllLines(f).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]))
            .OrderByDescending(e => int.Parse(e["version"], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        foreach (var e in entries)
        {
            CommandLines.Add(e["options"]);
            var ostree = KernelCommandLine.Find(e["options"], "ostree")!;
            var target = new FileInfo(Host("sysroot" + ostree)).ResolveLinkTarget(returnFinalTarget: true)!;
            Deployments.Add(target.Name);
        }
    }

    public void Dispose() => Ns.Dispose();
}

/// <summary>Which tool writes the scratch sysroot.</summary>
public enum SysrootTool
{
    Ostree,
    Arbor,
}
