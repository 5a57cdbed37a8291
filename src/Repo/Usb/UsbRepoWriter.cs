using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Usb;

/// <summary>What <c>create-usb</c> copies, and where.</summary>
/// <param name="MountPath">The mounted file system (it must exist).</param>
/// <param name="Refs">The collection–refs to copy.</param>
/// <param name="DestinationRepo">The repository's path, relative to <paramref name="MountPath"/> (or absolute); default <c>.ostree/repo</c>.</param>
/// <param name="Commit">Copy this commit instead of the ref's (only with a single ref).</param>
public sealed record UsbCopyRequest(string MountPath, IReadOnlyList<CollectionRef> Refs, string? DestinationRepo = null, Checksum? Commit = null)
{
    public bool DisableFsync { get; init; }
    /// <summary>Told how far the copy (a local pull) is.</summary>
    public IProgress<Progress.ProgressEvent>? Progress { get; init; }
}

/// <summary>
/// ostree 2022.7's <c>create-usb</c>: opens (or creates, in archive mode) a repository on a mounted file
/// system, mirrors the given collection–refs into it from a local repository (the ref's newest commit
/// only, refs written as <c>refs/mirrors/COLLECTION/REF</c>), regenerates its summary so that finders can
/// read the refs, and, for a repository outside the well-known <c>.ostree/repo</c> and <c>ostree/repo</c>,
/// links it from <c>.ostree/repos.d/NN-generated</c>, which the mount finder scans.
/// </summary>
public static class UsbRepoWriter
{
    public const string DefaultRepoPath = ".ostree/repo";
    public const string ReposDir = ".ostree/repos.d";
    private static readonly string[] WellKnownRepos = [".ostree/repo", "ostree/repo"];
    private const int MaxSymlinkAttempts = 100;

    /// <summary>Copies the refs; returns the destination repository's path as given (relative to the mount).</summary>
    public static async Task<string> CopyAsync(Repository source, UsbCopyRequest request, CancellationToken ct)
    {
        if (request.Commit is not null && request.Refs.Count > 1)
            throw new RepoException("The --commit option can only be used when a single COLLECTION-ID REF pair is specified");
        var mount = request.MountPath;
        var mountStat = Files.TryStat(mount) ?? throw new RepoException($"opendir({mount}): No such file or directory");
        if (!mountStat.IsDirectory) throw new RepoException($"opendir({mount}): Not a directory");
        foreach (var r in request.Refs)
        {
            CollectionRefListing.ValidateCollectionId(r.CollectionId);
            RefName.Validate(r.RefName);
        }

        var destRelative = request.DestinationRepo ?? DefaultRepoPath;
        var destPath = Path.Combine(mount, destRelative);
        try { Files.MkdirParents(destPath, 0x1ED); }
        catch (NativeIOException e) { throw new RepoException($"mkdir({destRelative}): {Errno.Describe(e.Errno)}"); }
        var dest = Repository.Create(destPath, RepoMode.Archive);
        var destStat = Files.Stat(dest.Path);
        if (destStat.Device != mountStat.Device) throw new RepoException("--destination-repo must be a descendent of MOUNT-PATH");
        var sourceStat = Files.Stat(source.Path);
        if (destStat.SameFileAs(sourceStat))
            throw new RepoException("--destination-repo must not be the source repository");
        dest.EnsureWritable();
        if (request.DisableFsync) dest.DisableFsync = true;

        var options = new PullOptions
        {
            CollectionRefs = request.Refs.Select(r => new CollectionRefTarget(r, request.Commit)).ToList(),
            Mirror = true,
            Depth = 0,
            DisableFsync = request.DisableFsync,
            Progress = request.Progress,
        };
        await Puller.PullLocalAsync(dest, source.Path, options, ct).ConfigureAwait(false);
        // the mount finder reads refs from the summary: always regenerate it
        SummaryWriter.Regenerate(dest);
        if (!WellKnownRepos.Contains(destRelative)) LinkFromReposDir(mount, destRelative, destStat);
        return destRelative;
    }

    /// <summary>Adds <c>.ostree/repos.d/NN-generated → ../../DEST</c> unless an entry there already is the repository.</summary>
    private static void LinkFromReposDir(string mount, string destRelative, FileStatus destStat)
    {
        var reposDir = Path.Combine(mount, ReposDir);
        Files.MkdirParents(reposDir, 0x1ED);
        foreach (var entry in Directory.EnumerateFileSystemEntries(reposDir))
            if (Files.TryStat(entry) is { } st && st.SameFileAs(destStat)) return;
        // g_build_filename ("..", "..", DEST): an absolute DEST keeps its leading slash after "../.."
        var target = "../../" + destRelative.TrimStart('/');
        for (int i = 0; i < MaxSymlinkAttempts; i++)
        {
            var link = Path.Combine(reposDir, $"{i:D2}-generated");
            try
            {
                Files.Symlink(target, link);
                return;
            }
            catch (NativeIOException e) when (e.Errno == Errno.EEXIST) { }
            catch (NativeIOException e)
            {
                throw new RepoException($"symlinkat({ReposDir}/{i:D2}-generated → {target}): {Errno.Describe(e.Errno)}");
            }
        }
        throw new RepoException("Could not find an unused symlink name for the repository");
    }
}
