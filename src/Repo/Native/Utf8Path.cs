using System.Text;

namespace Arbor.Repo.Native;

/// <summary>NUL-terminated UTF-8 for system calls.</summary>
internal static class Utf8Path
{
    public static byte[] Z(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    public static byte[] Z(ReadOnlySpan<byte> utf8)
    {
        var bytes = new byte[utf8.Length + 1];
        utf8.CopyTo(bytes);
        return bytes;
    }
}
