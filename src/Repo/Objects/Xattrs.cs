using System.Text;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>One extended attribute. <see cref="Name"/> excludes the trailing NUL stored in objects.</summary>
public sealed record Xattr(byte[] Name, byte[] Value)
{
    public string NameString => Encoding.UTF8.GetString(Name);
    public static Xattr Create(string name, byte[] value) => new(Encoding.UTF8.GetBytes(name), value);
}

/// <summary>
/// The <c>a(ayay)</c> xattr list of dirmeta and file headers: names carry a trailing NUL in the
/// serialized form, values are raw; lists built from disk are sorted by name with strcmp and
/// omit empty values (repo-format.md §4.2). Lists read from objects keep their stored order.
/// </summary>
public sealed class XattrList : IEquatable<XattrList>
{
    public static readonly XattrList Empty = new([]);

    public IReadOnlyList<Xattr> Items { get; }

    public XattrList(IReadOnlyList<Xattr> items) => Items = items;

    public int Count => Items.Count;

    /// <summary>The canonical list for new objects: empty values dropped, sorted by name bytes.</summary>
    public static XattrList Canonical(IEnumerable<Xattr> items)
    {
        var list = items.Where(x => x.Value.Length > 0).ToList();
        if (list.Count == 0) return Empty;
        list.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return new XattrList(list);
    }

    public void WriteTo(GVariantWriter w)
    {
        w.BeginArray();
        Span<byte> nameBuf = stackalloc byte[256];
        foreach (var x in Items)
        {
            w.BeginTuple();
            Span<byte> name = x.Name.Length + 1 <= nameBuf.Length ? nameBuf[..(x.Name.Length + 1)] : new byte[x.Name.Length + 1];
            x.Name.CopyTo(name);
            name[^1] = 0;
            w.WriteByteArray(name);
            w.WriteByteArray(x.Value);
            w.End();
        }
        w.End();
    }

    public static XattrList Read(GVariantReader array)
    {
        int n = array.ArrayCount;
        if (n == 0) return Empty;
        var items = new List<Xattr>(n);
        foreach (var e in array.EnumerateArray())
        {
            var name = e.Member(0).GetBytes();
            // names are stored NUL-terminated; tolerate a missing terminator when reading foreign data
            if (name.Length > 0 && name[^1] == 0) name = name[..^1];
            items.Add(new Xattr(name.ToArray(), e.Member(1).GetBytes().ToArray()));
        }
        return new XattrList(items);
    }

    public bool Equals(XattrList? other)
    {
        if (other is null || other.Count != Count) return false;
        for (int i = 0; i < Count; i++)
        {
            if (!Items[i].Name.AsSpan().SequenceEqual(other.Items[i].Name)) return false;
            if (!Items[i].Value.AsSpan().SequenceEqual(other.Items[i].Value)) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is XattrList l && Equals(l);
    public override int GetHashCode() => Count;
}
