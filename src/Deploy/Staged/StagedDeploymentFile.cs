using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.Deploy.Staged;

/// <summary>A deployment named in the staged state: <c>a{sv}</c> with <c>name</c> (CSUM.SERIAL), <c>osname</c>, <c>bootcsum</c>.</summary>
public sealed record StagedDeploymentName(string Name, string Stateroot, string BootChecksum)
{
    public static StagedDeploymentName Of(Deployment d) => new(d.Name, d.Stateroot, d.BootChecksum);

    internal VariantDictionary ToDictionary()
    {
        var dict = new VariantDictionary();
        dict.AddString("name", Name);
        dict.AddString("osname", Stateroot);
        dict.AddString("bootcsum", BootChecksum);
        return dict;
    }

    internal static StagedDeploymentName FromDictionary(VariantDictionary dict)
    {
        string Required(string key) => dict.GetString(key) ?? throw new DeployException($"Missing key: {key}");
        return new StagedDeploymentName(Required("name"), Required("osname"), Required("bootcsum"));
    }

    /// <summary>True when <paramref name="d"/> is this deployment (stateroot, commit and serial, as ostree_deployment_equal).</summary>
    public bool Names(Deployment? d) => d is not null && d.Stateroot == Stateroot && d.Name == Name;
}

/// <summary>
/// <c>/run/ostree/staged-deployment</c> (sysroot.md §9), byte-compatible with ostree 2022.7: an
/// <c>a{sv}</c> holding <c>target</c>, <c>merge-deployment</c> (both <see cref="StagedDeploymentName"/>),
/// <c>kargs</c> (<c>as</c>, only when the kernel arguments were overridden) and
/// <c>overlay-initrds</c> (<c>as</c>), in that order.
/// </summary>
public sealed record StagedDeploymentFile
{
    public required StagedDeploymentName Target { get; init; }
    public StagedDeploymentName? Merge { get; init; }

    /// <summary>The full kernel command line to use instead of the merge deployment's, or null to inherit it.</summary>
    public IReadOnlyList<string>? Kargs { get; init; }

    /// <summary>Checksums of overlay initrds in the run directory's <c>ostree/staged-initrds</c>.</summary>
    public IReadOnlyList<string>? OverlayInitrds { get; init; }

    public byte[] Serialize()
    {
        var dict = new VariantDictionary();
        dict.AddDictionary("target", Target.ToDictionary());
        if (Merge is not null) dict.AddDictionary("merge-deployment", Merge.ToDictionary());
        if (Kargs is not null) dict.AddStrings("kargs", Kargs);
        if (OverlayInitrds is not null) dict.AddStrings("overlay-initrds", OverlayInitrds);
        return dict.Serialize();
    }

    /// <summary>
    /// The state as ostree_sysroot_deployment_set_kargs_in_place rewrites it (<c>kargs edit-in-place</c>
    /// on a staged deployment): through a GVariantDict, whose hash table (8 slots, index
    /// <c>g_str_hash(key) * 11 % 7</c>) yields kargs (0), target (4), merge-deployment (5),
    /// overlay-initrds (6), so the keys come in that order.
    /// </summary>
    public byte[] SerializeRewrittenInPlace()
    {
        var dict = new VariantDictionary();
        if (Kargs is not null) dict.AddStrings("kargs", Kargs);
        dict.AddDictionary("target", Target.ToDictionary());
        if (Merge is not null) dict.AddDictionary("merge-deployment", Merge.ToDictionary());
        if (OverlayInitrds is not null) dict.AddStrings("overlay-initrds", OverlayInitrds);
        return dict.Serialize();
    }

    /// <summary>Parses the state; a malformed file is a one-line error.</summary>
    public static StagedDeploymentFile Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var dict = VariantDictionary.Parse(bytes);
            var target = dict.GetDictionary("target") ?? throw new DeployException("Malformed staged deployment state: no target");
            return new StagedDeploymentFile
            {
                Target = StagedDeploymentName.FromDictionary(target),
                Merge = dict.GetDictionary("merge-deployment") is { } m ? StagedDeploymentName.FromDictionary(m) : null,
                Kargs = dict.GetStrings("kargs"),
                OverlayInitrds = dict.GetStrings("overlay-initrds"),
            };
        }
        catch (ArborException e) when (e is not DeployException) { throw new DeployException($"Malformed staged deployment state: {e.Message}"); }
    }

    /// <summary>The state at <paramref name="path"/>, or null when there is none.</summary>
    public static StagedDeploymentFile? TryRead(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (IOException e) { throw new DeployException($"Reading {path}: {e.Message}"); }
        return Parse(bytes);
    }

    /// <summary>Writes the state under a temporary name and renames it into place (no fsync: /run is volatile).</summary>
    public void Write(string path) => Write(path, Serialize());

    /// <summary>Replaces the state with <see cref="SerializeRewrittenInPlace"/>'s bytes.</summary>
    public void WriteRewrittenInPlace(string path) => Write(path, SerializeRewrittenInPlace());

    private static void Write(string path, byte[] bytes)
    {
        IO.FsUtil.EnsureDirectory(Path.GetDirectoryName(path)!, 0x1ED);
        IO.FsUtil.ReplaceFile(path, bytes, 0x1A4);
    }
}
