using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.StaticDelta;

namespace Arbor.Repo.Pull;

/// <summary>
/// ostree's check before a delta is pulled: the uncompressed size of all its parts and fallbacks
/// (those already present included) must fit the filesystem's free blocks, the root reserve
/// included (min-free-space is enforced later, object by object).
/// </summary>
internal static class DeltaSpaceCheck
{
    public static void Require(string repoPath, DeltaSuperblock delta)
    {
        ulong required = 0;
        foreach (var fallback in delta.Fallbacks) required += fallback.UncompressedSize;
        foreach (var part in delta.Parts) required += part.UncompressedSize;
        var fs = FsStat.Get(repoPath);
        ulong blockSize = (ulong)fs.BlockSize;
        if (required / blockSize > fs.BlocksFree)
            throw new PullException($"Delta requires {SizeFormat.Format(required)} free space, but only {SizeFormat.Format(blockSize * fs.BlocksFree)} available");
    }
}
