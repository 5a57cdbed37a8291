using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Repo.Store;

/// <summary>
/// The blocks one transaction may fill with content objects (ostree's txn.max_blocks): the
/// filesystem's free blocks when it starts (available blocks for non-root) minus the
/// <see cref="MinFreeSpace"/> reserve. Every content object takes size / block size + 1 blocks
/// before it is written; metadata is not counted, so commits and dirtrees still fit in the
/// reserve. Thread-safe.
/// </summary>
internal sealed class FreeSpaceBudget
{
    private readonly MinFreeSpace _limit;
    private readonly ulong _blockSize;
    private readonly Lock _gate = new();
    private ulong _blocksLeft;

    private FreeSpaceBudget(MinFreeSpace limit, ulong blockSize, ulong blocksLeft)
    {
        _limit = limit;
        _blockSize = blockSize;
        _blocksLeft = blocksLeft;
    }

    /// <summary>The budget of a transaction starting now in <paramref name="repoPath"/>; null when the check is disabled.</summary>
    public static FreeSpaceBudget? Start(string repoPath, MinFreeSpace limit)
    {
        // off: no statfs at all (and nothing to reserve, so nothing that could fail)
        if (!limit.Enabled) return null;
        var fs = FsStat.Get(repoPath);
        ulong reserved = limit.ReservedBytes((ulong)fs.FragmentSize, fs.Blocks);
        ulong blockSize = (ulong)fs.BlockSize;
        ulong reservedBlocks = reserved / blockSize;
        ulong free = Files.IsRoot ? fs.BlocksFree : fs.BlocksAvailable;
        // already inside the reserve: no error yet, a transaction of metadata alone may still go through
        return new FreeSpaceBudget(limit, blockSize, free > reservedBlocks ? free - reservedBlocks : 0);
    }

    /// <summary>Takes the blocks of a content object of <paramref name="size"/> bytes, or throws ostree's error.</summary>
    public void Take(ulong size)
    {
        ulong blocks = size / _blockSize + 1;
        lock (_gate)
        {
            if (blocks <= _blocksLeft)
            {
                _blocksLeft -= blocks;
                return;
            }
        }
        throw new RepoException("Writing content object: " + _limit.ExceededMessage(blocks * _blockSize));
    }
}
