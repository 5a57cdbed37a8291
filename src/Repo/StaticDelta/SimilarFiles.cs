using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// The "modified" regular files of a delta as ostree 2022.7 finds them
/// (<c>_ostree_delta_compute_similar_objects</c>): each regular file new in TO is paired with a file
/// of FROM under the same basename (or, failing that, the same basename up to its first '.') whose
/// size is within 30% of its own. Files are taken by content object, in order of size; an empty file
/// and one named <c>*.xz</c> or <c>*.bz2</c> (already compressed) are never candidates.
/// </summary>
public static class SimilarFiles
{
    /// <summary>ostree's CONTENT_SIZE_SIMILARITY_THRESHOLD_PERCENT.</summary>
    public const int ThresholdPercent = 30;

    private sealed record SizeNames(Checksum Checksum, long Size, List<string> Basenames);

    /// <summary>(FROM object, TO object) pairs, TO objects taken from <paramref name="newRegularFiles"/> (their content sizes), in TO's size order.</summary>
    public static List<(Checksum From, Checksum To)> Find(Repository repo, Checksum from, Checksum to, IReadOnlyDictionary<Checksum, long> newRegularFiles)
    {
        var fromSizes = SortedBySize(repo, from, null);
        var toSizes = SortedBySize(repo, to, newRegularFiles);
        var pairs = new List<(Checksum, Checksum)>();
        int lower = 0, upper = fromSizes.Count;
        foreach (var target in toSizes)
        {
            // the bounds as ostree computes them, in guint64 from a double
            var min = (ulong)(target.Size * (1.0 - ThresholdPercent / 100.0));
            var max = (ulong)(target.Size * (1.0 + ThresholdPercent / 100.0));
            if (!IsCandidate(target)) continue;
            bool found = false;
            for (int fuzzy = 0; fuzzy < 2 && !found; fuzzy++)
            {
                for (int j = lower; j < upper; j++)
                {
                    var source = fromSizes[j];
                    if (!IsCandidate(source)) continue;
                    if ((ulong)source.Size < min)
                    {
                        lower++; // (ostree moves the bound by one, wherever j is)
                        continue;
                    }
                    if ((ulong)source.Size > max) break;
                    if (!ShareABasename(source.Basenames, target.Basenames, fuzzy == 1)) continue;
                    pairs.Add((source.Checksum, target.Checksum));
                    found = true;
                    break;
                }
            }
        }
        return pairs;
    }

    private static bool IsCandidate(SizeNames file)
    {
        if (file.Size == 0) return false;
        foreach (var name in file.Basenames)
        {
            int dot = name.LastIndexOf('.');
            if (dot < 0) continue;
            var extension = name.AsSpan(dot + 1);
            if (extension is "xz" or "bz2") return false;
        }
        return true;
    }

    /// <summary>Fuzzy: names compare up to their first '.' when both have one at the same non-zero offset.</summary>
    private static bool ShareABasename(List<string> a, List<string> b, bool fuzzy)
    {
        foreach (var x in a)
        {
            int xDot = x.IndexOf('.');
            foreach (var y in b)
            {
                int yDot = y.IndexOf('.');
                if (fuzzy && xDot >= 0 && yDot > 0 && xDot == yDot)
                {
                    if (string.CompareOrdinal(x, 0, y, 0, xDot) == 0) return true;
                }
                else if (string.Equals(x, y, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The commit's regular files with every basename they appear under, smallest first: only those of
    /// <paramref name="only"/> (whose sizes it gives) when given, else all (their objects read for type and size).
    /// </summary>
    private static List<SizeNames> SortedBySize(Repository repo, Checksum commit, IReadOnlyDictionary<Checksum, long>? only)
    {
        var byChecksum = new Dictionary<Checksum, SizeNames>();
        var notRegular = new HashSet<Checksum>();
        var seenTrees = new HashSet<Checksum>();
        var pending = new Stack<Checksum>();
        pending.Push(repo.LoadCommit(commit).RootTree);
        while (pending.TryPop(out var treeChecksum))
        {
            // a directory that appears twice adds its names twice in ostree: the same pairs come out
            if (!seenTrees.Add(treeChecksum)) continue;
            var tree = repo.LoadDirTree(treeChecksum);
            foreach (var file in tree.Files)
            {
                long knownSize = 0;
                if (only is not null && !only.TryGetValue(file.Checksum, out knownSize)) continue;
                if (!byChecksum.TryGetValue(file.Checksum, out var entry))
                {
                    if (only is null)
                    {
                        if (notRegular.Contains(file.Checksum)) continue;
                        var content = repo.LoadContent(file.Checksum);
                        if (!content.Header.IsRegular)
                        {
                            notRegular.Add(file.Checksum);
                            continue;
                        }
                        knownSize = content.Size;
                    }
                    entry = new SizeNames(file.Checksum, knownSize, []);
                    byChecksum.Add(file.Checksum, entry);
                }
                entry.Basenames.Add(file.Name);
            }
            for (int i = tree.Dirs.Count - 1; i >= 0; i--) pending.Push(tree.Dirs[i].Tree);
        }
        var sorted = byChecksum.Values.ToList();
        // (ostree sorts with qsort: equal sizes in no particular order; here by checksum, to be repeatable)
        sorted.Sort((x, y) => x.Size != y.Size ? x.Size.CompareTo(y.Size) : x.Checksum.CompareTo(y.Checksum));
        return sorted;
    }
}
