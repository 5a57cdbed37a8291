using System.Text.Unicode;

namespace Arbor.Repo.GVariant;

/// <summary>
/// GLib 2.74's checks on untrusted strings, as its lenient reader applies them: type-string scanning
/// with its depth (gvarianttype.c <c>variant_type_string_scan_internal</c>, whose depth
/// <c>g_variant_type_info_query_depth</c> reports: 1 for a basic type or <c>v</c>, 1 + the deepest
/// child for a container, 0 for <c>()</c>), and the string, object-path and signature validity of
/// gvariant-serialiser.c. Type strings here have no length limit, as in GLib.
/// </summary>
internal static class GVariantTypeScan
{
    /// <summary>GLib's G_VARIANT_MAX_RECURSION_DEPTH.</summary>
    public const int MaxRecursionDepth = 128;

    /// <summary>
    /// True when <paramref name="s"/> is exactly one definite type string (g_variant_type_string_scan
    /// reaching the end, then g_variant_type_is_definite), as a variant's type string must be.
    /// </summary>
    public static bool IsSingleDefiniteType(ReadOnlySpan<byte> s)
    {
        int pos = 0;
        if (!Scan(s, ref pos, MaxRecursionDepth, out _) || pos != s.Length) return false;
        return s.IndexOfAny((byte)'r', (byte)'*', (byte)'?') < 0;
    }

    /// <summary>g_variant_type_info_query_depth of a definite type.</summary>
    public static int Depth(GVariantType type) => type.Kind switch
    {
        GVariantTypeKind.Array or GVariantTypeKind.Maybe => 1 + Depth(type.Element),
        // a dict entry counts its value only; "()" is 0 deep
        GVariantTypeKind.DictEntry => 1 + Depth(type.Children[1]),
        GVariantTypeKind.Tuple => type.Children.Count == 0 ? 0 : 1 + type.Children.Max(Depth),
        _ => 1,
    };

    private static bool Scan(ReadOnlySpan<byte> s, ref int pos, int depthLimit, out int depth)
    {
        depth = 0;
        if (pos >= s.Length || s[pos] == 0) return false;
        int childDepth;
        switch (s[pos++])
        {
            case (byte)'(':
                while (pos >= s.Length || s[pos] != ')')
                {
                    if (depthLimit == 0 || !Scan(s, ref pos, depthLimit - 1, out childDepth)) return false;
                    depth = Math.Max(depth, childDepth + 1);
                }
                pos++;
                break;
            case (byte)'{':
                if (depthLimit == 0 || pos >= s.Length || s[pos] == 0 || !"bynqihuxtdsog?"u8.Contains(s[pos++])
                    || !Scan(s, ref pos, depthLimit - 1, out childDepth)
                    || pos >= s.Length || s[pos++] != '}')
                    return false;
                depth = childDepth + 1;
                break;
            case (byte)'m':
            case (byte)'a':
                if (depthLimit == 0 || !Scan(s, ref pos, depthLimit - 1, out childDepth)) return false;
                depth = childDepth + 1;
                break;
            case (byte)'b': case (byte)'y': case (byte)'n': case (byte)'q': case (byte)'i': case (byte)'u':
            case (byte)'x': case (byte)'t': case (byte)'d': case (byte)'s': case (byte)'o': case (byte)'g':
            case (byte)'v': case (byte)'r': case (byte)'*': case (byte)'?': case (byte)'h':
                depth = 1;
                break;
            default:
                return false;
        }
        return true;
    }

    /// <summary>g_variant_serialiser_is_string: NUL-terminated, no other NUL, valid UTF-8.</summary>
    public static bool IsString(ReadOnlySpan<byte> data) =>
        data.Length > 0 && data[^1] == 0 && data[..^1].IndexOf((byte)0) < 0 && Utf8.IsValid(data[..^1]);

    /// <summary>g_variant_serialiser_is_object_path: a string that is a D-Bus object path.</summary>
    public static bool IsObjectPath(ReadOnlySpan<byte> data)
    {
        if (!IsString(data) || data[0] != '/') return false;
        var path = data[..^1];
        for (int i = 1; i < path.Length; i++)
        {
            byte c = path[i];
            if (char.IsAsciiLetterOrDigit((char)c) || c == '_') continue;
            if (c != '/' || path[i - 1] == '/') return false;
        }
        return path.Length == 1 || path[^1] != '/';
    }

    /// <summary>g_variant_serialiser_is_signature: a string of zero or more complete D-Bus types.</summary>
    public static bool IsSignature(ReadOnlySpan<byte> data)
    {
        if (!IsString(data)) return false;
        var sig = data[..^1];
        if (sig.IndexOfAnyExcept("ybnqiuxthdvasog(){}"u8) >= 0) return false;
        int pos = 0;
        while (pos < sig.Length)
            if (!Scan(sig, ref pos, MaxRecursionDepth, out _)) return false;
        return true;
    }
}
