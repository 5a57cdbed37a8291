using Arbor.Repo.Config;

namespace Arbor.Deploy;

/// <summary>
/// A deployment's <c>.origin</c> key file (sysroot.md §3.2). Unknown groups and keys (rpm-ostree,
/// container references, comments) are kept verbatim, so rewriting changes only what was set.
/// </summary>
public sealed class OriginFile
{
    public const string OriginGroup = "origin";
    public const string TransientGroup = "libostree-transient";

    public KeyFile KeyFile { get; }

    private OriginFile(KeyFile keyFile) => KeyFile = keyFile;

    /// <summary>Parses origin text; a malformed file is a one-line error naming <paramref name="pathForErrors"/>.</summary>
    public static OriginFile Parse(string text, string? pathForErrors = null)
    {
        try { return new OriginFile(KeyFile.Parse(text)); }
        catch (FormatException e)
        {
            throw new DeployException(pathForErrors is null ? e.Message : $"Parsing {pathForErrors}: {e.Message}");
        }
    }

    /// <summary><c>[origin] refspec=REFSPEC</c>, what <c>admin deploy REFSPEC</c> writes.</summary>
    public static OriginFile FromRefspec(string refspec)
    {
        var o = new OriginFile(new KeyFile());
        o.KeyFile.SetString(OriginGroup, "refspec", refspec);
        return o;
    }

    public OriginFile Clone() => new(KeyFile.Parse(KeyFile.ToString()));

    public string? Refspec
    {
        get => KeyFile.GetString(OriginGroup, "refspec");
        set => SetOrRemove(OriginGroup, "refspec", value);
    }

    public string? OverrideCommit
    {
        get => KeyFile.GetString(OriginGroup, "override-commit");
        set => SetOrRemove(OriginGroup, "override-commit", value);
    }

    /// <summary><c>origin.unlocked</c>: "hotfix" for a persistent hotfix unlock.</summary>
    public string? Unlocked
    {
        get => KeyFile.GetString(OriginGroup, "unlocked");
        set => SetOrRemove(OriginGroup, "unlocked", value);
    }

    /// <summary>When set, upgrades fail with this message.</summary>
    public string? UnconfiguredState => KeyFile.GetString(OriginGroup, "unconfigured-state");

    /// <summary><c>[libostree-transient] pinned</c>; a value that is not a boolean reads as false, as in ostree.</summary>
    public bool IsPinned
    {
        get
        {
            try { return KeyFile.GetBoolean(TransientGroup, "pinned") ?? false; }
            catch (FormatException) { return false; }
        }
    }

    /// <summary>Pins with <c>pinned=true</c>; unpinning removes the key and leaves the group, as ostree does.</summary>
    public void SetPinned(bool pinned)
    {
        if (pinned) KeyFile.SetBoolean(TransientGroup, "pinned", true);
        else KeyFile.RemoveKey(TransientGroup, "pinned");
    }

    /// <summary>
    /// A copy for an upgrade's deployment, as ostree_deployment_origin_remove_transient_state makes it: without the
    /// transient group (pins), <c>override-commit</c> and <c>unlocked</c>.
    /// </summary>
    public OriginFile WithoutTransientState()
    {
        var c = Clone();
        c.KeyFile.RemoveGroup(TransientGroup);
        c.KeyFile.RemoveKey(OriginGroup, "override-commit");
        c.KeyFile.RemoveKey(OriginGroup, "unlocked");
        return c;
    }

    private void SetOrRemove(string group, string key, string? value)
    {
        if (value is null) KeyFile.RemoveKey(group, key); else KeyFile.SetString(group, key, value);
    }

    public override string ToString() => KeyFile.ToString();
}
