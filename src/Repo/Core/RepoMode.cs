namespace Arbor.Repo.Core;

/// <summary>How FILE objects are stored (repo-format.md §6).</summary>
public enum RepoMode
{
    Bare,
    BareUser,
    BareUserOnly,
    Archive,
    /// <summary>
    /// <c>bare-split-xattrs</c>: ostree 2022.7 creates such a repository (<c>init --mode</c>) and keeps
    /// metadata objects in it, but refuses every content object ("Writing content object: Not allowed
    /// due to repo mode"); so does Arbor.
    /// </summary>
    BareSplitXattrs,
}

public static class RepoModes
{
    /// <summary>The value written to <c>core.mode</c>: archive is written "archive-z2" as ostree does.</summary>
    public static string ToConfigString(this RepoMode mode) => mode switch
    {
        RepoMode.Bare => "bare",
        RepoMode.BareUser => "bare-user",
        RepoMode.BareUserOnly => "bare-user-only",
        RepoMode.Archive => "archive-z2",
        RepoMode.BareSplitXattrs => "bare-split-xattrs",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Accepts every spelling ostree accepts on read and on <c>init --mode</c>.</summary>
    public static bool TryParse(string? text, out RepoMode mode)
    {
        switch (text)
        {
            case "bare": mode = RepoMode.Bare; return true;
            case "bare-user": mode = RepoMode.BareUser; return true;
            case "bare-user-only": mode = RepoMode.BareUserOnly; return true;
            case "archive": case "archive-z2": mode = RepoMode.Archive; return true;
            case "bare-split-xattrs": mode = RepoMode.BareSplitXattrs; return true;
            default: mode = default; return false;
        }
    }

    public static RepoMode Parse(string text) => TryParse(text, out var m)
        ? m
        : throw new RepoException($"Invalid mode '{text}' in repository configuration");

    public static bool IsBare(this RepoMode mode) => mode != RepoMode.Archive;

    /// <summary>Whether content (FILE) objects may be stored: not in <see cref="RepoMode.BareSplitXattrs"/>, as in ostree 2022.7.</summary>
    public static bool StoresContent(this RepoMode mode) => mode != RepoMode.BareSplitXattrs;

    /// <summary>Throws ostree's error for a content object written to a repository that takes none.</summary>
    public static void EnsureStoresContent(this RepoMode mode)
    {
        if (!mode.StoresContent()) throw new RepoException("Writing content object: Not allowed due to repo mode");
    }
}
