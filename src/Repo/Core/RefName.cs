using System.Globalization;

namespace Arbor.Repo.Core;

/// <summary>
/// Ref names: <c>^(FRAG/)*FRAG$</c> where FRAG = <c>[\w\d][-._\w\d]*</c> with Unicode-aware \w
/// (repo-format.md §7). Remote names are a single FRAG.
/// </summary>
public static class RefName
{
    public static bool IsValid(string name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        foreach (var frag in name.Split('/'))
            if (!IsValidFragment(frag)) return false;
        return true;
    }

    public static bool IsValidRemote(string name) => IsValidFragment(name);

    private static bool IsValidFragment(string frag)
    {
        if (frag.Length == 0) return false;
        if (!IsWordChar(frag, 0)) return false;
        for (int i = 0; i < frag.Length; i++)
        {
            if (char.IsSurrogatePair(frag, i)) { if (!IsWordChar(frag, i)) return false; i++; continue; }
            char c = frag[i];
            if (c == '-' || c == '.' || c == '_') continue;
            if (!IsWordChar(frag, i)) return false;
        }
        return true;
    }

    private static bool IsWordChar(string s, int index)
    {
        // PCRE/GRegex \w with UCP: letters, marks, decimal digits, connector punctuation (_).
        var cat = CharUnicodeInfo.GetUnicodeCategory(s, index);
        return cat is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.ConnectorPunctuation;
    }

    public static void Validate(string name)
    {
        if (!IsValid(name)) throw new RepoException($"Invalid ref name {name}");
    }

    /// <summary>Splits a refspec <c>[REMOTE:]REF</c>.</summary>
    public static (string? Remote, string Ref) ParseRefspec(string refspec)
    {
        int colon = refspec.IndexOf(':');
        if (colon < 0) return (null, refspec);
        var remote = refspec[..colon];
        var r = refspec[(colon + 1)..];
        if (!IsValidRemote(remote)) throw new RepoException($"Invalid remote name {remote}");
        return (remote, r);
    }
}
