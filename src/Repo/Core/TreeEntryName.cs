using System.Text.Unicode;

namespace Arbor.Repo.Core;

/// <summary>
/// Validation of names inside a tree (dirtree entries, tar members, git tree entries):
/// never empty, ".", "..", containing '/' or NUL, and valid UTF-8 (repo-format.md §5.3, §7).
/// </summary>
public static class TreeEntryName
{
    public static bool IsValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return false;
        if (utf8.Length == 1 && utf8[0] == (byte)'.') return false;
        if (utf8.Length == 2 && utf8[0] == (byte)'.' && utf8[1] == (byte)'.') return false;
        if (utf8.IndexOfAny((byte)'/', (byte)0) >= 0) return false;
        return Utf8.IsValid(utf8);
    }

    /// <summary>
    /// Why <paramref name="utf8"/> is not a valid name, in ostree's words (<c>ot_util_filename_validate</c>),
    /// or null when it is valid.
    /// </summary>
    public static string? Problem(ReadOnlySpan<byte> utf8)
    {
        if (IsValid(utf8)) return null;
        var shown = Escape(System.Text.Encoding.UTF8.GetString(utf8));
        if (utf8.SequenceEqual("."u8)) return "Invalid self-referential filename '.'";
        if (utf8.SequenceEqual(".."u8)) return "Invalid path uplink filename '..'";
        if (utf8.Contains((byte)'/')) return $"Invalid / in filename {shown}";
        if (!Utf8.IsValid(utf8)) return $"Invalid UTF-8 in filename {shown}";
        return $"Invalid filename '{shown}'"; // empty, or with a NUL: ostree's check lets them through
    }

    public static bool IsValid(string name)
    {
        if (name.Length == 0 || name == "." || name == ".." || name.AsSpan().IndexOfAny('/', '\0') >= 0) return false;
        return IsWellFormed(name);
    }

    private static bool IsWellFormed(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(s[i])) return false;
        }
        return true;
    }

    /// <summary>Throws a one-line error naming the bad entry.</summary>
    public static void Validate(string name, string context)
    {
        if (!IsValid(name))
            throw new RepoException($"Invalid filename '{Escape(name)}' in {context}");
    }

    public static string Escape(string name) => name.Replace("\0", "\\0").Replace("\n", "\\n");
}
