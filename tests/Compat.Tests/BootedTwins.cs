using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Both twin sysroots booted at once, in the scratch namespace: each gets v1 then v2 deployed by
/// its own tool (so v2 is the default and v1 the rollback), and its default deployment is mounted
/// at <c>booted-SIDE</c> as prepare-root mounts it (bind on itself, the physical root at
/// <c>/sysroot</c>, <c>/boot</c>, a tmpfs <c>/run</c> holding <c>ostree-booted</c>). The real
/// ostree runs chrooted into it, in a PID namespace of its own with its own /proc (on a booted
/// system ostree reads <c>/proc/1/ns/mnt</c> before writing, which the host's PID 1 does not
/// allow); arbor runs as a process with <c>ARBOR_ROOT_DIR</c>/<c>ARBOR_RUN_DIR</c> naming the same root.
/// </summary>
internal sealed class BootedTwins : IDisposable
{
    public static readonly string[] Sides = ["ostree", "arbor"];

    public TwinSysroots Twin { get; } = new();

    public BootedTwins()
    {
        var tree = BootableTree(Twin);
        Twin.Commit(tree, "1", 1, "vectoros/v1");
        Twin.Commit(tree.File("usr/etc/app.conf", "a=2\n").File("usr/etc/v2", "2\n"), "2", 2, "vectoros/v2");
        Twin.Commit(tree.File("usr/etc/app.conf", "a=3\n").File("usr/etc/v3", "3\n"), "3", 3, "vectoros/v3");
        foreach (var v in new[] { "v1", "v2" })
        {
            Twin.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "--karg=quiet", "vectoros/" + v);
            var r = Twin.Ns.Run(ArborProcess.Executable, ["admin", "deploy", "--os=" + TwinSysroots.Os, "--karg=quiet", "vectoros/" + v, "--sysroot=" + Twin.Ns.InnerPath("arbor")]);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        foreach (var side in Sides)
        {
            var deployment = Twin.Ns.InnerPath(side + "/" + Twin.ArborSysroot(side).Load()[0].RelativePath);
            MountAsBooted(Twin.Ns, deployment, Twin.Ns.InnerPath(side), Inner(side));
        }
    }

    /// <summary>The vector tree with what a booted root needs: mount points, <c>/ostree</c> into the sysroot, merged-/usr links.</summary>
    public static OsTree BootableTree(TwinSysroots twin, string name = "os") =>
        twin.VectorTree(name).Dir("sysroot").Dir("boot").Dir("proc").Dir("dev").Dir("run").Dir("var")
            .Symlink("ostree", "sysroot/ostree").Symlink("lib", "usr/lib").Symlink("lib64", "usr/lib64").Symlink("bin", "usr/bin");

    /// <summary>
    /// Mounts <paramref name="deployment"/> at <paramref name="target"/> as prepare-root would at boot
    /// (paths as the namespace sees them): bound on itself, the physical <paramref name="sysroot"/> at
    /// /sysroot and its /boot, a tmpfs /run with ostree-booted, and the host's /usr, /dev and ld.so.cache
    /// so that the real ostree runs chrooted there.
    /// </summary>
    public static void MountAsBooted(ScratchNamespace ns, string deployment, string sysroot, string target)
    {
        var script = $"""
            set -e
            mkdir -p {target}
            mount --bind {deployment} {target}
            mount --bind {sysroot} {target}/sysroot
            mount --bind {sysroot}/boot {target}/boot
            mount --rbind /usr {target}/usr
            mount -t tmpfs tmpfs {target}/run
            touch {target}/run/ostree-booted
            mount --rbind /dev {target}/dev
            touch {target}/etc/ld.so.cache
            mount --bind /etc/ld.so.cache {target}/etc/ld.so.cache
            """;
        var r = ns.Run("sh", ["-c", script]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    /// <summary>The booted root of one side as commands in the namespace see it.</summary>
    public string Inner(string side) => Twin.Ns.InnerPath("booted-" + side);

    /// <summary>The booted root of one side as this process sees it.</summary>
    public string Root(string side) => Twin.Ns.HostPath("booted-" + side);

    /// <summary>One side as arbor sees it from this process when booted (staged deployment included).</summary>
    public global::Arbor.Deploy.Sysroot Sysroot(string side) =>
        global::Arbor.Deploy.Sysroot.Open(Root(side), new global::Arbor.Deploy.SysrootOptions { RootPath = Root(side), RunDirectory = Root(side) + "/run" });

    /// <summary><c>/run/ostree/staged-deployment</c> of one side.</summary>
    public string StagedState(string side) => Path.Join(Root(side), "run/ostree/staged-deployment");

    /// <summary>The real ostree, running on the booted system of <paramref name="side"/>.</summary>
    public CliResult Ostree(string side, params string[] args) => OstreeWithEnv(side, null, args);

    public CliResult OstreeWithEnv(string side, Dictionary<string, string>? env, params string[] args) =>
        Twin.Ns.Run("unshare", ["--pid", "--fork", "--mount-proc=" + Inner(side) + "/proc", "chroot", Inner(side), "/usr/bin/ostree", .. args], env);

    /// <summary>arbor, running on the booted system of <paramref name="side"/>.</summary>
    public CliResult Arbor(string side, params string[] args) => ArborWithEnv(side, new Dictionary<string, string>(), args);

    public CliResult ArborWithEnv(string side, Dictionary<string, string> env, params string[] args)
    {
        env["ARBOR_ROOT_DIR"] = Inner(side);
        env["ARBOR_RUN_DIR"] = Inner(side) + "/run";
        return Twin.Ns.Run(ArborProcess.Executable, [.. args, "--sysroot=" + Inner(side)], env);
    }

    /// <summary>Runs the tool that owns <paramref name="side"/>, or the other one.</summary>
    public CliResult Tool(string tool, string side, params string[] args) => tool == "ostree" ? Ostree(side, args) : Arbor(side, args);

    public string Ok(string tool, string side, params string[] args)
    {
        var r = Tool(tool, side, args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"{tool} {string.Join(' ', args)} on {side} failed:\n{r}");
        return r.Stdout;
    }

    /// <summary>A local /etc change on the running system (the booted deployment's /etc).</summary>
    public void EditEtc(string side)
    {
        File.WriteAllText(Path.Join(Root(side), "etc/app.conf"), "a=local\n");
        File.WriteAllText(Path.Join(Root(side), "etc/local.conf"), "local\n");
        File.Delete(Path.Join(Root(side), "etc/hostname"));
    }

    public void Dispose() => Twin.Dispose();
}
