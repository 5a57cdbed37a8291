using Arbor.Repo.Core;

namespace Arbor.Repo.Refs;

/// <summary>
/// <c>ostree_parse_refspec</c>: <c>^(REMOTE:)?REF$</c> where REMOTE is one ref fragment and REF is
/// fragments joined by '/'; anything else is "Invalid refspec X" (ostree-core.c).
/// </summary>
public static class Refspec
{
    public static bool TryParse(string refspec, out string? remote, out string reference)
    {
        remote = null;
        reference = refspec;
        if (RefName.IsValid(refspec)) return true;
        int colon = refspec.IndexOf(':');
        if (colon < 0) return false;
        var r = refspec[..colon];
        var name = refspec[(colon + 1)..];
        if (!RefName.IsValidRemote(r) || !RefName.IsValid(name)) return false;
        remote = r;
        reference = name;
        return true;
    }

    public static (string? Remote, string Ref) Parse(string refspec)
    {
        if (!TryParse(refspec, out var remote, out var reference))
            throw new RepoException($"Invalid refspec {refspec}");
        return (remote, reference);
    }

    /// <summary>The refspec as ostree prints it: <c>REMOTE:REF</c> or <c>REF</c>.</summary>
    public static string Format(string? remote, string reference) => remote is null ? reference : remote + ":" + reference;
}
