using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>The xxd dumps in shared/vectors/dumps (objects written by the real ostree), as bytes, with their GVariant types.</summary>
internal static class VectorDumps
{
    /// <summary>Every dump that is a single GVariant value, with its type.</summary>
    public static readonly (string Name, GVariantType Type)[] Variants =
    [
        ("commit-1.commit", ObjectFormats.Commit),
        ("commit-2.commit", ObjectFormats.Commit),
        ("commit-1.commitmeta", ObjectFormats.Metadata),
        ("commit-1.root.dirtree", ObjectFormats.DirTree),
        ("commit-1.root.dirmeta", ObjectFormats.DirMeta),
        ("commit-1.sub.dirmeta", ObjectFormats.DirMeta),
        ("summary", ObjectFormats.Summary),
        ("xattr.txt.bare-user.ostreemeta", ObjectFormats.DirMeta),
        ("link.bare-user.ostreemeta", ObjectFormats.DirMeta),
    ];

    /// <summary>The archive-mode content objects: 8-byte prefix, header, then deflate data.</summary>
    public static readonly string[] Filez = ["hello.txt.filez", "xattr.txt.filez", "link.filez"];

    public static byte[] Load(string name)
    {
        var bytes = new List<byte>();
        foreach (var line in File.ReadAllLines(Vectors.PathOf($"dumps/{name}.txt")))
        {
            // "00000010: 7665 6374 ...  ascii": hex groups between the colon and the two-space gap
            int colon = line.IndexOf(':');
            int gap = line.IndexOf("  ", colon + 2, StringComparison.Ordinal);
            var hex = line[(colon + 2)..(gap < 0 ? line.Length : gap)].Replace(" ", "");
            bytes.AddRange(Convert.FromHexString(hex));
        }
        return bytes.ToArray();
    }

    public static GVariantType TypeOf(string name) => Variants.Single(v => v.Name == name).Type;
}
