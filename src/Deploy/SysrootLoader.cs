using System.Text.RegularExpressions;
using Arbor.Deploy.BootLoader;
using Arbor.Repo.Config;
using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Deploy;

/// <summary>
/// Reads a sysroot's state from its boot loader entries, the source of truth (sysroot.md §2):
/// boot version, entries sorted by version, each entry's <c>ostree=</c> link resolved to a
/// deployment directory, origins, unlock state and the booted deployment.
/// </summary>
internal static partial class SysrootLoader
{
    [GeneratedRegex(@"^/ostree/boot\.([01])/([^/]+)/([^/]+)/([0-9]+)$")]
    private static partial Regex BootLinkRegex();

    [GeneratedRegex(@"^([0-9a-f]+)\.([0-9]+)$")]
    private static partial Regex DeployNameRegex();

    public static DeploymentSet Load(Sysroot sysroot)
    {
        bool rootIsBooted = sysroot.IsRunningRoot();
        var root = rootIsBooted ? Files.Stat(sysroot.Options.RootPath) : (FileStatus?)null;

        var bootVersion = BootVersion.Read(sysroot.Path);
        var entries = ReadEntries(sysroot.Path, bootVersion.Version);

        var deployments = new List<Deployment>(entries.Count);
        Deployment? booted = null;
        foreach (var entry in entries)
        {
            var (d, isBooted) = ParseDeployment(sysroot, entry, root, lookForBooted: rootIsBooted && booted is null);
            deployments.Add(d);
            if (isBooted) booted = d;
        }

        if (rootIsBooted && booted is null)
        {
            var flag = sysroot.Options.BootedFlagPath;
            throw Files.TryLStat(sysroot.FullPath(SysrootLayout.BootLoaderLink)) is null
                ? new DeployException($"Unexpected state: {flag} found, but no /boot/loader directory")
                : new DeployException($"Unexpected state: {flag} found and in / sysroot, but bootloader entry not found");
        }

        // ostree sorts the entries, then the deployments again with the same comparator
        EntryOrder.Sort(deployments, d => d.BootConfig.Version);
        // a staged deployment only exists on the running system, and always comes first
        var stagedState = rootIsBooted ? ReadStagedState(sysroot) : null;
        var staged = stagedState is null ? null : StagedDeployment(sysroot, stagedState);
        if (staged is not null) deployments.Insert(0, staged);
        for (int i = 0; i < deployments.Count; i++) deployments[i] = deployments[i] with { Index = i };
        if (booted is not null) booted = deployments.First(d => d.SameAs(booted));
        if (staged is not null) staged = deployments[0];
        return new DeploymentSet(bootVersion, deployments, booted, staged, rootIsBooted, stagedState);
    }

    /// <summary><c>/run/ostree/staged-deployment</c> (sysroot.md §9), or null.</summary>
    private static Staged.StagedDeploymentFile? ReadStagedState(Sysroot sysroot)
    {
        try { return Staged.StagedDeploymentFile.TryRead(sysroot.Options.StagedDeploymentPath); }
        catch (DeployException e) { throw new DeployException($"Loading staged deployment: {e.Message}", e); }
    }

    /// <summary>The deployment the staged state names.</summary>
    private static Deployment StagedDeployment(Sysroot sysroot, Staged.StagedDeploymentFile state)
    {
        var t = state.Target;
        if (!SysrootLayout.IsValidName(t.Stateroot) || !SysrootLayout.IsValidName(t.BootChecksum) || !TryParseDeployName(t.Name, out var commit, out int serial))
            throw new DeployException($"Loading staged deployment: invalid target '{t.Stateroot}/{t.Name}'");

        var origin = ReadOrigin(sysroot, t.Stateroot, commit, serial);
        var entry = new BootLoaderEntry();
        if (state.Kargs is not null) entry.Options = string.Join(' ', state.Kargs);
        return new Deployment
        {
            Stateroot = t.Stateroot,
            Commit = commit,
            DeploySerial = serial,
            BootChecksum = t.BootChecksum,
            BootConfig = entry,
            Origin = origin,
            OverlayInitrds = state.OverlayInitrds ?? [],
            IsStaged = true,
        };
    }

    /// <summary>Every regular <c>ostree-*.conf</c> in <c>boot/loader.N/entries</c>, sorted.</summary>
    public static List<BootLoaderEntry> ReadEntries(string sysroot, int bootversion)
    {
        var list = new List<BootLoaderEntry>();
        var dir = SysrootLayout.Full(sysroot, SysrootLayout.EntriesDir(bootversion));
        if (!Directory.Exists(dir)) return list;
        foreach (var path in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = System.IO.Path.GetFileName(path);
            if (!name.StartsWith("ostree-", StringComparison.Ordinal) || !name.EndsWith(".conf", StringComparison.Ordinal)) continue;
            if (Files.TryStat(path) is not { IsRegular: true }) continue;
            string text;
            try { text = Utf8File.ReadAllText(path); }
            catch (Exception e) when (e is IOException or RepoException) { throw new DeployException($"Parsing {name}: {e.Message}"); }
            list.Add(BootLoaderEntry.Parse(text));
        }
        EntryOrder.Sort(list, e => e.Version);
        return list;
    }

    /// <summary>The value of the first <c>ostree=</c> argument, or null.</summary>
    public static string? OstreeArgument(string? options)
    {
        if (options is null) return null;
        foreach (var a in options.Split(' '))
            if (a.StartsWith("ostree=", StringComparison.Ordinal)) return a["ostree=".Length..];
        return null;
    }

    /// <summary>Parses <c>/ostree/boot.B/STATEROOT/BOOTCSUM/SERIAL</c>.</summary>
    public static (int BootVersion, string Stateroot, string BootChecksum, int BootSerial) ParseBootLink(string value)
    {
        var m = BootLinkRegex().Match(value);
        if (!m.Success || !SysrootLayout.IsValidName(m.Groups[2].Value) || !SysrootLayout.IsValidName(m.Groups[3].Value)
            || !int.TryParse(m.Groups[4].Value, out int serial))
            throw new DeployException($"Invalid ostree= argument '{value}', expected ostree=/ostree/boot.BOOTVERSION/OSNAME/BOOTCSUM/TREESERIAL");
        return (m.Groups[1].Value[0] - '0', m.Groups[2].Value, m.Groups[3].Value, serial);
    }

    /// <summary>Parses a deployment directory name <c>CSUM.SERIAL</c>.</summary>
    public static bool TryParseDeployName(string name, out Checksum commit, out int serial)
    {
        commit = default;
        serial = 0;
        var m = DeployNameRegex().Match(name);
        return m.Success && Checksum.TryParse(m.Groups[1].Value, out commit) && int.TryParse(m.Groups[2].Value, out serial);
    }

    private static (Deployment, bool Booted) ParseDeployment(Sysroot sysroot, BootLoaderEntry entry, FileStatus? root, bool lookForBooted)
    {
        var arg = OstreeArgument(entry.Options) ?? throw new DeployException("No ostree= kernel argument found");
        var (_, stateroot, bootcsum, bootserial) = ParseBootLink(arg);
        var prefix = $"Parsing deployment {arg} in stateroot '{stateroot}'";
        var linkPath = sysroot.FullPath(arg[1..]);

        string target;
        try { target = Files.ReadLink(linkPath); }
        catch (NativeIOException e) { throw new DeployException($"{prefix}: readlinkat: {Errno.Describe(e.Errno)}"); }
        var name = System.IO.Path.GetFileName(target);
        if (!TryParseDeployName(name, out var commit, out int deploySerial))
            throw new DeployException($"{prefix}: Invalid deploy name '{name}', expected CHECKSUM.TREESERIAL");

        var st = Files.TryStat(linkPath);
        if (st is not { IsDirectory: true })
            throw new DeployException($"{prefix}: opendir({arg[1..]}): {(st is null ? "No such file or directory" : "Not a directory")}");
        bool isBooted = lookForBooted && root is { } r && st.Value.SameFileAs(r);

        OriginFile? origin;
        try { origin = ReadOrigin(sysroot, stateroot, commit, deploySerial); }
        catch (Exception e) when (e is DeployException or RepoException) { throw new DeployException($"{prefix}: {e.Message}"); }

        var overlays = new List<string>();
        foreach (var initrd in entry.OverlayInitrds)
        {
            var basename = System.IO.Path.GetFileName(initrd);
            if (basename.Length != Checksum.HexLength + ".img".Length)
                throw new DeployException($"Malformed overlay initrd filename: {basename}");
            overlays.Add(basename[..Checksum.HexLength]);
        }

        var d = new Deployment
        {
            Stateroot = stateroot,
            Commit = commit,
            DeploySerial = deploySerial,
            BootChecksum = bootcsum,
            BootSerial = bootserial,
            BootConfig = entry,
            Origin = origin,
            OverlayInitrds = overlays,
            Unlocked = ReadUnlocked(sysroot.Options, commit, deploySerial, origin),
        };
        return (d, isBooted);
    }

    /// <summary>The deployment's <c>.origin</c> file, or null when it has none.</summary>
    private static OriginFile? ReadOrigin(Sysroot sysroot, string stateroot, Checksum commit, int serial)
    {
        var rel = SysrootLayout.OriginFile(stateroot, commit, serial);
        var path = sysroot.FullPath(rel);
        return File.Exists(path) ? OriginFile.Parse(Utf8File.ReadAllText(path), rel) : null;
    }

    private static UnlockedState ReadUnlocked(SysrootOptions options, Checksum commit, int serial, OriginFile? origin)
    {
        var stateDir = System.IO.Path.Join(options.DeploymentStateDir, SysrootLayout.DeploymentName(commit, serial));
        if (Files.TryLStat(System.IO.Path.Join(stateDir, "unlocked-development")) is not null) return UnlockedState.Development;
        if (Files.TryLStat(System.IO.Path.Join(stateDir, "unlocked-transient")) is not null) return UnlockedState.Transient;
        return origin?.Unlocked == "hotfix" ? UnlockedState.Hotfix : UnlockedState.None;
    }
}
