using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Summary;

/// <summary>
/// Writes a repository's <c>summary</c> as <c>ostree summary -u</c> does (repo-format.md §8):
/// refs of <c>refs/heads</c> sorted by name, each with its commit size, checksum, timestamp and
/// version; then the additional metadata in GLib's GVariantDict order, so the bytes equal
/// ostree's for the same refs and time. Regenerating deletes <c>summary.sig</c>.
/// </summary>
public static class SummaryWriter
{
    /// <summary>Builds the summary bytes for the repository's current refs.</summary>
    /// <param name="additionalMetadata">User metadata inserted first (<c>summary -m</c>).</param>
    /// <param name="now">Generation time written to <c>ostree.summary.last-modified</c>.</param>
    public static byte[] Build(Repository repo, IEnumerable<KeyValuePair<string, GVariantValue>>? additionalMetadata, DateTimeOffset now)
    {
        var extra = new GVariantDict(additionalMetadata ?? []);
        var mainCollection = repo.Config.CollectionId;
        var mainRefs = new List<(string Name, Checksum Commit)>();
        var otherCollections = new SortedDictionary<string, SortedDictionary<string, Checksum>>(StringComparer.Ordinal);

        // a ref file that does not hold a checksum is a commit ostree cannot load (refs in name order): the summary fails
        foreach (var (_, text) in new RefListing(repo) { ExcludeRemotes = true }.List(null).Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            if (!Checksum.TryParse(text, out _)) throw new RepoException($"No such metadata object {text}.commit");
        foreach (var (name, commit) in repo.Refs.ListHeads())
            mainRefs.Add((name, commit));
        if (mainCollection is not null)
        {
            foreach (var (collection, refs) in ListMirrorRefs(repo))
                if (collection == mainCollection)
                    foreach (var (n, c) in refs) if (!mainRefs.Exists(r => r.Name == n)) mainRefs.Add((n, c));
        }
        // every other collection–ref (refs/mirrors/C/…, refs of remotes bound to a collection ID) goes into
        // the collection map, whether or not the repository has a collection ID itself, as in ostree 2022.7
        foreach (var (cref, checksum) in Refs.CollectionRefListing.List(repo, null).Entries)
        {
            if (cref.CollectionId == mainCollection || !Checksum.TryParse(checksum, out var c)) continue;
            if (!otherCollections.TryGetValue(cref.CollectionId, out var refs))
                otherCollections[cref.CollectionId] = refs = new SortedDictionary<string, Checksum>(StringComparer.Ordinal);
            refs[cref.RefName] = c;
        }
        mainRefs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

        if (!repo.Config.KeyFile.GetBoolean(RepoConfig.CoreGroup, "no-deltas-in-summary", false))
        {
            var deltas = new GVariantDict();
            foreach (var (name, digest) in StaticDeltaNames.List(repo))
                deltas.Insert(name, GVariantValue.Bytes(digest));
            if (deltas.Count > 0)
                extra.Insert(SummaryFile.StaticDeltasKey, ToAsv(deltas.End()));
        }
        extra.Insert(SummaryFile.LastModifiedKey, GVariantValue.UInt64(BinaryPrimitives.ReverseEndianness((ulong)now.ToUnixTimeSeconds())));
        extra.Insert(SummaryFile.ModeKey, GVariantValue.String(repo.Config.KeyFile.GetValue(RepoConfig.CoreGroup, "mode") ?? "bare"));
        extra.Insert(SummaryFile.TombstoneCommitsKey, GVariantValue.Boolean(repo.Config.TombstoneCommits));
        extra.Insert(SummaryFile.IndexedDeltasKey, GVariantValue.Boolean(true));

        if (mainCollection is not null)
            extra.Insert(SummaryFile.CollectionIdKey, GVariantValue.String(mainCollection));

        using var w = new GVariantWriter(ObjectFormats.Summary, 256 + mainRefs.Count * 160);
        w.BeginTuple();
        WriteRefs(w, repo, mainRefs);
        // the collection map goes into the additional metadata, so build it separately
        if (otherCollections.Count > 0)
        {
            using var cm = new GVariantWriter("a{sa(s(taya{sv}))}");
            cm.BeginArray();
            foreach (var (collection, refs) in otherCollections)
            {
                cm.BeginDictEntry();
                cm.WriteString(collection);
                WriteRefs(cm, repo, refs.Select(kv => (kv.Key, kv.Value)).ToList());
                cm.End();
            }
            cm.End();
            extra.Insert(SummaryFile.CollectionMapKey, GVariantValue.Deserialize(cm.WrittenSpan, "a{sa(s(taya{sv}))}"));
        }
        VariantDictionary.WriteAsv(w, extra.End());
        w.End();
        return w.ToArray();
    }

    /// <summary>Regenerates <c>summary</c> (atomically) after the delta indexes, and removes the now stale <c>summary.sig</c>.</summary>
    public static byte[] Regenerate(Repository repo, IEnumerable<KeyValuePair<string, GVariantValue>>? additionalMetadata = null, DateTimeOffset? now = null)
    {
        using var _ = repo.Lock(exclusive: false);
        var bytes = Build(repo, additionalMetadata, now ?? DateTimeOffset.UtcNow);
        StaticDelta.DeltaIndexes.Reindex(repo); // as ostree: delta-indexes/ and core.indexed-deltas=true
        AtomicFile.WriteAllBytes(repo.FullPath(RepoLayout.Summary), bytes, 0x1A4, repo.Config.Fsync);
        var sig = repo.FullPath(RepoLayout.SummarySig);
        if (File.Exists(sig)) File.Delete(sig);
        return bytes;
    }

    /// <summary>Regenerates the summary when <c>core.auto-update-summary</c> (or its old alias) is set; call after ref changes.</summary>
    public static bool MaybeRegenerate(Repository repo)
    {
        if (!repo.Config.AutoUpdateSummary) return false;
        Regenerate(repo);
        return true;
    }

    private static void WriteRefs(GVariantWriter w, Repository repo, List<(string Name, Checksum Commit)> refs)
    {
        w.BeginArray();
        Span<byte> csum = stackalloc byte[Checksum.ByteLength];
        foreach (var (name, commit) in refs)
        {
            var bytes = repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
            var parsed = CommitObject.Parse(bytes);
            var meta = new GVariantDict();
            if (parsed.Timestamp <= MaxGDateTimeSeconds)
                meta.Insert(SummaryRef.TimestampKey, GVariantValue.UInt64(BinaryPrimitives.ReverseEndianness(parsed.Timestamp)));
            if (parsed.Metadata["version"] is { } v && v.Type.Signature == "s")
                meta.Insert(SummaryRef.VersionKey, GVariantValue.String(v.AsString()));
            w.BeginTuple();
            w.WriteString(name);
            w.BeginTuple();
            w.WriteUInt64((ulong)bytes.Length);
            commit.CopyTo(csum);
            w.WriteByteArray(csum);
            VariantDictionary.WriteAsv(w, meta.End());
            w.End();
            w.End();
        }
        w.End();
    }

    /// <summary>GDateTime's range ends at 9999-12-31T23:59:59Z; later timestamps are left out, as ostree does.</summary>
    private const ulong MaxGDateTimeSeconds = 253402300799;

    /// <summary>An <c>a{sv}</c> value from its entries in the given order.</summary>
    internal static GVariantValue ToAsv(IReadOnlyList<KeyValuePair<string, GVariantValue>> entries) =>
        GVariantValue.Array(GVariantType.VarDict,
            entries.Select(e => GVariantValue.DictEntry(GVariantValue.String(e.Key), GVariantValue.Variant(e.Value))));

    /// <summary>Collection refs under <c>refs/mirrors/COLLECTION/REF</c>.</summary>
    private static IEnumerable<(string Collection, SortedDictionary<string, Checksum> Refs)> ListMirrorRefs(Repository repo)
    {
        var root = repo.FullPath(RepoLayout.RefsMirrors);
        if (!Directory.Exists(root)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var refs = new SortedDictionary<string, Checksum>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(dir, file);
                if (!RefName.IsValid(rel)) continue;
                if (Checksum.TryParse(File.ReadAllText(file).TrimEnd(), out var c)) refs[rel] = c;
            }
            if (refs.Count > 0) yield return (Path.GetFileName(dir), refs);
        }
    }
}
