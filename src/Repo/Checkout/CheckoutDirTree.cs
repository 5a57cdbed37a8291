using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Checkout;

/// <summary>
/// A dirtree as a checkout needs it: every name kept as NUL-terminated UTF-8 in one buffer (ready
/// for the <c>*at</c> system calls, no strings), with the file checksums and the subdirectory
/// tree/meta checksums. Files come first (indexes 0..FileCount-1), then directories.
/// Names are validated as ostree's checkout validates them, and a name may appear only once:
/// a hostile tree listing "x" both as a symlink and as a directory must not make a union
/// checkout write through the symlink.
/// </summary>
internal sealed class CheckoutDirTree
{
    private readonly byte[] _names;
    private readonly int[] _starts; // FileCount + DirCount + 1 entries; name i is _names[_starts[i].._starts[i+1]]
    private readonly Checksum[] _checksums; // files: content; dirs: tree then meta (2 per dir)

    public int FileCount { get; }
    public int DirCount { get; }

    private CheckoutDirTree(byte[] names, int[] starts, Checksum[] checksums, int files, int dirs)
    {
        _names = names;
        _starts = starts;
        _checksums = checksums;
        FileCount = files;
        DirCount = dirs;
    }


    /// <summary>File <paramref name="i"/>'s name with its NUL terminator.</summary>
    public ReadOnlySpan<byte> FileNameZ(int i) => _names.AsSpan(_starts[i], _starts[i + 1] - _starts[i]);
    public Checksum FileChecksum(int i) => _checksums[i];

    public ReadOnlySpan<byte> DirNameZ(int i) => FileNameZ(FileCount + i);
    public Checksum DirTree(int i) => _checksums[FileCount + 2 * i];
    public Checksum DirMeta(int i) => _checksums[FileCount + 2 * i + 1];

    public static string Text(ReadOnlySpan<byte> nameZ) => Encoding.UTF8.GetString(nameZ[^1] == 0 ? nameZ[..^1] : nameZ);

    /// <summary>Index of a file (0..) or directory (FileCount..) by name; -1 when absent.</summary>
    public int Find(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < FileCount + DirCount; i++)
            if (FileNameZ(i)[..^1].SequenceEqual(name)) return i;
        return -1;
    }

    public static CheckoutDirTree Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new GVariantReader(data, ObjectFormats.DirTree);
            var filesR = r.Member(0);
            var dirsR = r.Member(1);
            int files = filesR.ArrayCount, dirs = dirsR.ArrayCount;
            var starts = new int[files + dirs + 1];
            var checksums = new Checksum[files + 2 * dirs];
            var names = new byte[Math.Max(0, data.Length)];
            int pos = 0, i = 0;
            foreach (var e in filesR.EnumerateArray())
            {
                var c = e.Member(1).GetBytes();
                if (c.Length != Checksum.ByteLength) throw new CorruptObjectException($"Invalid checksum of length {c.Length} in dirtree");
                checksums[i] = Checksum.FromBytes(c);
                pos = AppendName(e.Member(0).GetStringBytes(), names, pos, starts, i++);
            }
            int d = 0;
            foreach (var e in dirsR.EnumerateArray())
            {
                var t = e.Member(1).GetBytes();
                var m = e.Member(2).GetBytes();
                if (t.Length != Checksum.ByteLength || m.Length != Checksum.ByteLength)
                    throw new CorruptObjectException("Invalid directory checksum in dirtree");
                checksums[files + 2 * d] = Checksum.FromBytes(t);
                checksums[files + 2 * d + 1] = Checksum.FromBytes(m);
                d++;
                pos = AppendName(e.Member(0).GetStringBytes(), names, pos, starts, i++);
            }
            starts[i] = pos;
            var tree = new CheckoutDirTree(names, starts, checksums, files, dirs);
            tree.RejectDuplicates();
            return tree;
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Invalid dirtree object: {e.Message}");
        }
    }

    private static int AppendName(ReadOnlySpan<byte> name, byte[] names, int pos, int[] starts, int index)
    {
        Validate(name);
        starts[index] = pos;
        name.CopyTo(names.AsSpan(pos));
        names[pos + name.Length] = 0;
        return pos + name.Length + 1;
    }

    /// <summary>ostree's <c>ot_util_filename_validate</c>, with its messages; empty names are refused too.</summary>
    public static void Validate(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty) throw new CorruptObjectException("Invalid empty filename");
        if (name.SequenceEqual("."u8)) throw new CorruptObjectException("Invalid self-referential filename '.'");
        if (name.SequenceEqual(".."u8)) throw new CorruptObjectException("Invalid path uplink filename '..'");
        if (name.IndexOf((byte)'/') >= 0) throw new CorruptObjectException($"Invalid / in filename {Encoding.UTF8.GetString(name)}");
        if (name.IndexOf((byte)0) >= 0) throw new CorruptObjectException("Invalid NUL in filename");
    }

    private void RejectDuplicates()
    {
        int n = FileCount + DirCount;
        if (n < 2) return;
        // ostree writes both arrays sorted by strcmp; then duplicates are neighbours within each
        // array, and a merge finds names shared between files and directories.
        if (IsStrictlySorted(0, FileCount) && IsStrictlySorted(FileCount, n))
        {
            int a = 0, b = FileCount;
            while (a < FileCount && b < n)
            {
                int c = Name(a).SequenceCompareTo(Name(b));
                if (c == 0) throw Duplicate(a);
                if (c < 0) a++; else b++;
            }
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
            if (!seen.Add(Convert.ToBase64String(Name(i)))) throw Duplicate(i);
    }

    private bool IsStrictlySorted(int from, int to)
    {
        for (int i = from + 1; i < to; i++)
        {
            int c = Name(i - 1).SequenceCompareTo(Name(i));
            if (c == 0) throw Duplicate(i);
            if (c > 0) return false;
        }
        return true;
    }

    private ReadOnlySpan<byte> Name(int i) => FileNameZ(i)[..^1];

    private CorruptObjectException Duplicate(int i) =>
        new($"Invalid dirtree: duplicate filename {Text(FileNameZ(i))}");
}
