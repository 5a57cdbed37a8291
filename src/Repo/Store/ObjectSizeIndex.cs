using System.Collections.Concurrent;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Store;

/// <summary>
/// <c>commit --generate-sizes</c> (archive repositories only, as in ostree): the archived and
/// unpacked size of every FILE, dirtree and dirmeta object the commit writes or finds already
/// stored, kept as ostree keeps them — recording starts (and restarts, forgetting what came
/// before) with each directory, tar or commit tree overlaid (<c>_ostree_repo_setup_generate_sizes</c>;
/// a git tree, which ostree lacks, does not restart it). <see cref="ToVariant"/> gives the
/// <c>ostree.sizes</c> value: <c>aay</c> sorted by checksum, each entry the 32 checksum bytes,
/// varint archived size, varint unpacked size, object type byte.
/// </summary>
public sealed class ObjectSizeIndex
{
    public const string MetadataKey = "ostree.sizes";

    private readonly ConcurrentDictionary<Checksum, (ObjectType Type, ulong Archived, ulong Unpacked)> _entries = new();
    private volatile bool _active;

    /// <summary>A directory or commit tree is about to be overlaid: record from now on, from an empty index.</summary>
    public void Restart()
    {
        _entries.Clear();
        _active = true;
    }

    /// <summary>The first size seen for an object wins (ostree checks for an entry before storing one).</summary>
    internal void Record(Checksum checksum, ObjectType type, long archived, long unpacked)
    {
        if (!_active || type > ObjectType.DirMeta) return;
        _entries.TryAdd(checksum, (type, (ulong)archived, (ulong)unpacked));
    }

    public int Count => _entries.Count;

    /// <summary>The <c>ostree.sizes</c> value, or null when nothing was recorded (ostree then adds no key).</summary>
    public GVariantValue? ToVariant()
    {
        if (_entries.IsEmpty) return null;
        var entries = new List<GVariantValue>(_entries.Count);
        Span<byte> buffer = stackalloc byte[Checksum.ByteLength + 2 * Varint.MaxLength + 1];
        foreach (var (checksum, (type, archived, unpacked)) in _entries.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal))
        {
            checksum.CopyTo(buffer);
            int n = Checksum.ByteLength;
            n += Varint.Write(buffer[n..], archived);
            n += Varint.Write(buffer[n..], unpacked);
            buffer[n++] = (byte)type;
            entries.Add(GVariantValue.Bytes(buffer[..n].ToArray()));
        }
        return GVariantValue.Array(GVariantType.ByteArrayArray, entries);
    }
}
