using System.Buffers;
using System.Security.Cryptography;
using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The boot checksum of a kernel layout (sysroot.md §4): SHA-256 over the concatenated contents
/// of vmlinuz, the initramfs and the device tree — for a <c>dtb/</c> directory, every file under
/// it, names sorted bytewise at each level. Streams the files; never holds one in memory.
/// </summary>
public sealed class BootChecksum : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void AppendFile(string path)
    {
        using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var buf = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(h, buf, offset)) > 0)
            {
                _hash.AppendData(buf, 0, n);
                offset += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    /// <summary>Every non-directory entry under <paramref name="dir"/>, recursively, in strcmp order per level.</summary>
    public void AppendDirectory(string dir)
    {
        var names = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(Utf8Order.Compare);
        foreach (var name in names)
        {
            var path = Path.Join(dir, name);
            var st = Files.TryLStat(path);
            if (st is null) continue;
            if (st.Value.IsDirectory) AppendDirectory(path);
            else if (st.Value.IsRegular || File.Exists(path)) AppendFile(path);
        }
    }

    public string FinishHex()
    {
        Span<byte> digest = stackalloc byte[32];
        _hash.GetHashAndReset(digest);
        return Checksum.FromBytes(digest).ToString();
    }

    public void Dispose() => _hash.Dispose();
}

/// <summary>Bytewise (strcmp) order of file names, as C code sorts them.</summary>
internal static class Utf8Order
{
    public static int Compare(string? a, string? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
        return System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b));
    }
}
