using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

public readonly record struct DirTreeFile(string Name, Checksum Checksum);
public readonly record struct DirTreeDir(string Name, Checksum Tree, Checksum Meta);

/// <summary>
/// A dirtree <c>(a(say)a(sayay))</c>: files (regular and symlinks) and subdirectories, each
/// sorted by name with byte-wise strcmp (repo-format.md §4.3).
/// </summary>
public sealed class DirTreeObject
{
    public static readonly Checksum EmptyChecksum = Checksum.Parse("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");

    public IReadOnlyList<DirTreeFile> Files { get; }
    public IReadOnlyList<DirTreeDir> Dirs { get; }

    public DirTreeObject(IReadOnlyList<DirTreeFile> files, IReadOnlyList<DirTreeDir> dirs)
    {
        Files = files;
        Dirs = dirs;
    }

    /// <summary>Byte-wise strcmp order of UTF-8 names, as ostree sorts entries.</summary>
    public static int CompareNames(string a, string b)
    {
        // For well-formed strings, ordinal UTF-16 order equals UTF-8 byte order except across
        // surrogates; compare UTF-8 bytes to be exact.
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x == y) continue;
            if (x < 0xD800 && y < 0xD800) return x < y ? -1 : 1;
            return CompareUtf8(a, b);
        }
        return a.Length.CompareTo(b.Length);
    }

    private static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    public static readonly Comparer<string> NameComparer = Comparer<string>.Create(CompareNames);

    public byte[] Serialize()
    {
        using var w = new GVariantWriter(ObjectFormats.DirTree, 64 + Files.Count * 48 + Dirs.Count * 80);
        Span<byte> csum = stackalloc byte[32];
        w.BeginTuple();
        w.BeginArray();
        foreach (var f in Files)
        {
            w.BeginTuple();
            w.WriteString(f.Name);
            f.Checksum.CopyTo(csum);
            w.WriteByteArray(csum);
            w.End();
        }
        w.End();
        w.BeginArray();
        foreach (var d in Dirs)
        {
            w.BeginTuple();
            w.WriteString(d.Name);
            d.Tree.CopyTo(csum);
            w.WriteByteArray(csum);
            d.Meta.CopyTo(csum);
            w.WriteByteArray(csum);
            w.End();
        }
        w.End();
        w.End();
        return w.ToArray();
    }

    /// <summary>Parses and validates names and checksum lengths (§5.3); rejects "..", "/", "" and duplicates.</summary>
    public static DirTreeObject Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new GVariantReader(data, ObjectFormats.DirTree);
            var filesR = r.Member(0);
            var dirsR = r.Member(1);
            var files = new List<DirTreeFile>(filesR.ArrayCount);
            foreach (var e in filesR.EnumerateArray())
            {
                var name = ReadName(e.Member(0));
                var c = e.Member(1).GetBytes();
                if (c.Length != 32) throw new CorruptObjectException($"Invalid checksum of length {c.Length} for file '{name}'");
                files.Add(new DirTreeFile(name, Checksum.FromBytes(c)));
            }
            var dirs = new List<DirTreeDir>(dirsR.ArrayCount);
            foreach (var e in dirsR.EnumerateArray())
            {
                var name = ReadName(e.Member(0));
                var t = e.Member(1).GetBytes();
                var m = e.Member(2).GetBytes();
                if (t.Length != 32 || m.Length != 32) throw new CorruptObjectException($"Invalid checksum for directory '{name}'");
                dirs.Add(new DirTreeDir(name, Checksum.FromBytes(t), Checksum.FromBytes(m)));
            }
            return new DirTreeObject(files, dirs);
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Invalid dirtree object: {e.Message}");
        }
    }

    private static string ReadName(GVariantReader r)
    {
        var bytes = r.GetStringBytes();
        if (TreeEntryName.Problem(bytes) is { } problem) throw new CorruptObjectException(problem);
        return Encoding.UTF8.GetString(bytes);
    }
}
