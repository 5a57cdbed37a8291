using System.Buffers.Binary;
using System.Globalization;
using Arbor.Repo.Core;
using Arbor.Repo.GLib;
using Arbor.Repo.GVariant;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;

namespace Arbor.Repo.Finders.Lan;

/// <summary>
/// <c>OstreeRepoFinderAvahi</c>: repositories advertised on the local network as
/// <c>_ostree_repo._tcp</c> services (priority 60). A service's TXT records must give version
/// <c>v</c>=1, a bloom filter <c>rb</c> of its collection–refs, the summary timestamp <c>st</c> and
/// the repository index <c>ri</c> (GVariants; <c>st</c> and <c>ri</c> big-endian); the requested
/// refs the filter may contain, and for whose collection a configured remote gives a keyring,
/// are looked up in the summary at <c>http://ADDRESS:PORT/RI/</c> (unsigned, as ostree reads it), one
/// result a keyring with the refs the summary lists. A service that lacks a record, whose filter
/// rules out every ref, or whose summary cannot be had or lists none of them, gives nothing.
/// </summary>
public static class LanFinder
{
    public const string Name = "OstreeRepoFinderAvahi";
    public const int Priority = 60;
    /// <summary>The DNS-SD service type ostree advertises repositories as.</summary>
    public const string ServiceType = "_ostree_repo._tcp";

    private static readonly GVariantType BloomType = GVariantType.Parse("(yyay)");
    private static readonly GVariantType UInt16Type = GVariantType.Parse("q");

    public static async Task<List<FinderResult>> ResolveAsync(RemoteStore remotes, IReadOnlyList<CollectionRef> refs,
        IEnumerable<AvahiService> services, CancellationToken ct)
    {
        var results = new List<FinderResult>();
        foreach (var service in services)
            results.AddRange(await ResolveServiceAsync(remotes, refs, service, ct).ConfigureAwait(false));
        return FinderResult.Sort(results);
    }

    /// <summary>What a service's TXT records say, or null when ostree ignores the service.</summary>
    public sealed record Advertisement(RefBloom Bloom, ulong SummaryTimestamp, ushort RepoIndex);

    /// <summary>The version, bloom filter, summary timestamp and repository index of a service's TXT records; null when one is missing, malformed or unknown.</summary>
    public static Advertisement? ReadAdvertisement(TxtRecords txt)
    {
        if (txt.Lookup("v", GVariantType.Byte) is not [1]) return null;
        if (txt.Lookup("rb", BloomType) is not { } rb) return null;
        var bloom = new GVariantReader(rb, BloomType);
        byte k = bloom.Member(0).GetByte(), hashId = bloom.Member(1).GetByte();
        if (k == 0 || hashId != RefBloom.CollectionRefHashId) return null;
        var bits = bloom.Member(2).GetBytes().ToArray();
        if (txt.Lookup("st", GVariantType.UInt64) is not { } st) return null;
        if (txt.Lookup("ri", UInt16Type) is not { } ri) return null;
        return new Advertisement(new RefBloom(bits, k), BinaryPrimitives.ReadUInt64BigEndian(st), BinaryPrimitives.ReadUInt16BigEndian(ri));
    }

    /// <summary>The repository's URL: <c>http://ADDRESS:PORT/INDEX</c>, an IPv6 address in brackets.</summary>
    public static string RepoUrl(AvahiService service, ushort repoIndex)
    {
        var host = service.Address.Contains(':') ? "[" + service.Address + "]" : service.Address;
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{service.Port}/{repoIndex}");
    }

    private static async Task<List<FinderResult>> ResolveServiceAsync(RemoteStore remotes, IReadOnlyList<CollectionRef> refs,
        AvahiService service, CancellationToken ct)
    {
        var results = new List<FinderResult>();
        if (ReadAdvertisement(TxtRecords.Parse(service.Txt)) is not { } ad) return results;
        var url = RepoUrl(service, ad.RepoIndex);

        // one result a keyring, in GHashTable order as ostree aggregates them
        var byKeyring = new GHashTable<string, (string KeyringRemote, List<CollectionRef> Refs)>(
            k => GStrHash.Hash(url) ^ GStrHash.Hash(k), StringComparer.Ordinal);
        foreach (var r in refs)
        {
            if (!ad.Bloom.MaybeContains(r)) continue;
            if (KeyringRemotes.For(remotes, r.CollectionId) is not { } keyringRemote) continue;
            var keyring = KeyringRemotes.Keyring(keyringRemote);
            if (!byKeyring.TryGetValue(keyring, out var entry))
            {
                entry = (keyringRemote, []);
                byKeyring.Insert(keyring, entry);
            }
            entry.Refs.Add(r);
        }

        foreach (var (keyring, (keyringRemote, wanted)) in byKeyring.Entries)
        {
            var name = MountFinder.DynamicRemoteName(url, keyring);
            Dictionary<CollectionRef, string> listed;
            try
            {
                var summary = await RemoteSummaryFetcher.FetchAsync(remotes.Repository, remotes, RemoteConfig.Dynamic(name, url), ct).ConfigureAwait(false);
                listed = SummaryRefs.List(summary.Summary);
            }
            catch (Exception e) when (e is ArborException or IOException or HttpRequestException)
            {
                continue; // ostree ignores the peer
            }
            var table = FinderResult.NewRefTable();
            foreach (var r in wanted)
                if (listed.TryGetValue(r, out var checksum)) table.Insert(r, checksum); // the others were bloom false positives
            if (table.Count == 0) continue;
            results.Add(new FinderResult
            {
                RemoteName = name, Url = url, Finder = Name, Keyring = keyring, KeyringRemote = keyringRemote,
                Priority = Priority, RefToChecksum = table, SummaryLastModified = ad.SummaryTimestamp,
            });
        }
        return results;
    }
}
