using Arbor.TestKit;

namespace Arbor.Boot.Tests.Privileged;

/// <summary>
/// Runs a prepare-root (ours or ostree's) as the initramfs would, without touching the host: in a fresh
/// mount namespace inside the scratch namespace, a tmpfs "initramfs" root R (the host's /usr bound in so
/// that ostree's dynamic binary runs, proc, a /proc/cmdline replaced by the BLS entry's options, an empty
/// /run) with the physical root bound at R/sysroot; the tool runs chrooted into R as
/// <c>TOOL /sysroot</c>, so its hard-coded /run, /sysroot.tmp and "/" all land in R. Returns the mount
/// table (as the chroot sees it) before and after, and what the tool left in /run.
/// </summary>
internal sealed record ChrootRun(string Name, int ExitCode, string Stdout, string Stderr, List<MountEntry> Before, List<MountEntry> After, Dictionary<string, string> RunFiles, bool TemporaryLeft)
{
    private const string Script = """
        set -eu
        T=$1; N=$2; TOOL=$3; CMDLINE=$4; SETUP=$5; WRAP=$6; shift 6
        R=$T/chroot-$N; O=$T/result-$N
        mkdir -p "$R" "$O"
        mount -t tmpfs initramfs "$R"
        mkdir -p "$R/usr" "$R/proc" "$R/run" "$R/sysroot" "$R/dev" "$R/tmp" "$R/tool"
        ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"; ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"
        mount --rbind /usr "$R/usr"
        mount -t proc proc "$R/proc"
        printf '%s\n' "$CMDLINE" > "$T/cmdline"
        mount --bind "$T/cmdline" "$R/proc/cmdline"
        if [ -d "$T/sysroot" ]; then mount --bind "$T/sysroot" "$R/sysroot"; fi
        cp "$TOOL" "$R/tool/prepare-root"
        if [ -n "$WRAP" ]; then mkdir -p "$R/result" && mount --bind "$O" "$R/result"; fi
        eval "$SETUP"
        chroot "$R" /bin/cat /proc/self/mountinfo > "$O/before"
        set +e
        ARBOR_BOOT_LOG=stderr chroot "$R" $WRAP /tool/prepare-root "$@" > "$O/stdout" 2> "$O/stderr"
        echo $? > "$O/rc"
        set -e
        chroot "$R" /bin/cat /proc/self/mountinfo > "$O/after"
        if [ -d "$R/run" ]; then (cd "$R/run" && find . -type f -printf '%P %m\n'); fi > "$O/run"
        if [ -e "$R/sysroot.tmp" ]; then echo yes; else echo no; fi > "$O/tmp"
        """;

    private static int _counter;

    /// <summary>Runs TOOL with <paramref name="args"/> (default: /sysroot). <paramref name="setup"/> is shell run before it (R is the root).</summary>
    public static ChrootRun Start(OstreeMadeSysroot s, string tool, string cmdline, string setup = "", params string[] args) =>
        Start(s.Ns, tool, cmdline, setup, args);

    /// <summary>Runs the tool under <paramref name="wrapper"/> (a command line inside the chroot, e.g. strace).</summary>
    public static ChrootRun Wrapped(OstreeMadeSysroot s, string wrapper, string tool, string cmdline) =>
        Start(s.Ns, tool, cmdline, "", ["/sysroot"], wrapper);

    /// <summary>As above on any scratch namespace; its <c>sysroot</c> directory, if any, is the physical root.</summary>
    public static ChrootRun Start(ScratchNamespace ns, string tool, string cmdline, string setup = "", params string[] args) =>
        Start(ns, tool, cmdline, setup, args, "");

    private static ChrootRun Start(ScratchNamespace ns, string tool, string cmdline, string setup, string[] args, string wrapper)
    {
        var name = $"{System.IO.Path.GetFileName(tool)}-{Interlocked.Increment(ref _counter)}";
        string[] toolArgs = args.Length == 0 ? ["/sysroot"] : args;
        var r = ns.Run("unshare", ["-m", "--propagation", "private", "sh", "-c", Script, "sh", ns.Inner, name, tool, cmdline, setup, wrapper, .. toolArgs]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"chroot harness failed:\n{r}");
        string Read(string f) => File.ReadAllText(ns.HostPath($"result-{name}/{f}"));
        return new ChrootRun(
            name,
            int.Parse(Read("rc").Trim(), System.Globalization.CultureInfo.InvariantCulture),
            Read("stdout"), Read("stderr"),
            MountEntry.ParseTable(Read("before")), MountEntry.ParseTable(Read("after")),
            Read("run").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]),
            Read("tmp").Trim() == "yes");
    }

    public MountEntry At(string mountPoint) => After.Last(m => m.MountPoint == mountPoint);

    /// <summary>The mounts the tool added or changed (everything under /sysroot, in order).</summary>
    public List<string> SysrootTable() =>
        After.Where(m => m.MountPoint == "/sysroot" || m.MountPoint.StartsWith("/sysroot/", StringComparison.Ordinal)).Select(m => m.ToString()).ToList();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}--- mounts\n{string.Join('\n', After)}";
}
