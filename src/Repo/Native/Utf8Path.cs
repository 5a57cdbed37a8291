using System.Text;

namespace Arbor.Repo.Native;

/// <summary>
/// NUL-terminated UTF-8 for system calls, with Python's "surrogateescape" so that file names that
/// are not valid UTF-8 survive a trip through a .NET string: <see cref="Decode"/> turns each byte of
/// an invalid sequence into the lone surrogate U+DC80..U+DCFF, and <see cref="Z(string)"/> and
/// <see cref="Bytes"/> turn such surrogates back into the raw byte. Valid UTF-8 never decodes to a
/// lone surrogate, so the escape is unambiguous.
/// </summary>
internal static class Utf8Path
{
    private const char EscapeFirst = '\uDC80', EscapeLast = '\uDCFF';

    public static byte[] Z(string path)
    {
        if (!HasEscapes(path))
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
            Encoding.UTF8.GetBytes(path, bytes);
            return bytes;
        }
        return Encode(path, terminate: true);
    }

    public static byte[] Z(ReadOnlySpan<byte> utf8)
    {
        var bytes = new byte[utf8.Length + 1];
        utf8.CopyTo(bytes);
        return bytes;
    }

    /// <summary>The raw bytes of a path (no terminator), escapes turned back into their bytes: for printing a name as ostree does.</summary>
    public static byte[] Bytes(string path) => HasEscapes(path) ? Encode(path, terminate: false) : Encoding.UTF8.GetBytes(path);

    /// <summary>Decodes a file name read from the kernel; bytes that are not UTF-8 become U+DC80..U+DCFF.</summary>
    public static string Decode(ReadOnlySpan<byte> name)
    {
        if (System.Text.Unicode.Utf8.IsValid(name)) return Encoding.UTF8.GetString(name);
        var sb = new StringBuilder(name.Length);
        while (!name.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(name, out var rune, out int consumed);
            if (status == System.Buffers.OperationStatus.Done) sb.Append(rune.ToString());
            else
                for (int i = 0; i < consumed; i++) sb.Append((char)(0xDC00 + name[i]));
            name = name[consumed..];
        }
        return sb.ToString();
    }

    /// <summary>(every system call's path passes here: one vectorized scan)</summary>
    private static bool HasEscapes(string path) => path.AsSpan().IndexOfAnyInRange(EscapeFirst, EscapeLast) >= 0;

    private static byte[] Encode(string path, bool terminate)
    {
        var output = new List<byte>(path.Length + 1);
        Span<byte> buf = stackalloc byte[4];
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]))
            {
                int n = new Rune(c, path[++i]).EncodeToUtf8(buf);
                for (int k = 0; k < n; k++) output.Add(buf[k]);
            }
            else if (c >= EscapeFirst && c <= EscapeLast) output.Add((byte)(c - 0xDC00));
            else
            {
                // a lone surrogate outside the escape range encodes as U+FFFD, as Encoding.UTF8 does
                var rune = char.IsSurrogate(c) ? Rune.ReplacementChar : new Rune(c);
                int n = rune.EncodeToUtf8(buf);
                for (int k = 0; k < n; k++) output.Add(buf[k]);
            }
        }
        if (terminate) output.Add(0);
        return output.ToArray();
    }
}
