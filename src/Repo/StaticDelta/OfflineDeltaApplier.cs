using System.Security.Cryptography;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// <c>static-delta apply-offline PATH</c> (ostree's <c>ostree_repo_static_delta_execute_offline</c>):
/// PATH is a delta directory (holding <c>superblock</c> and the parts) or a superblock file (its
/// parts beside it). In one transaction: the TO commit from the superblock (with its detached
/// metadata), then every part whose objects are not all present, each checked against its
/// SHA-256 (inline parts are covered by the superblock), and every object it re-creates verified
/// before it is stored. Nothing reaches <c>objects/</c> unless all of it succeeds. A signed
/// superblock is verified first when a <see cref="SignatureCheck"/> is given, and must be when the
/// repository sets <c>core.sign-verify-deltas</c>; unsigned deltas apply either way, as in ostree.
/// </summary>
public static class OfflineDeltaApplier
{
    /// <summary>Applies the delta; returns its TO commit.</summary>
    public static Checksum Apply(Repository repo, string path, CancellationToken ct = default) => Apply(repo, path, null, ct);

    /// <summary>Applies the delta after checking its signature with <paramref name="signature"/>; returns its TO commit.</summary>
    public static Checksum Apply(Repository repo, string path, SignatureCheck? signature, CancellationToken ct = default)
    {
        string dir, superblockPath;
        if (Directory.Exists(path)) (dir, superblockPath) = (path, Path.Combine(path, "superblock"));
        else if (File.Exists(path)) (dir, superblockPath) = (Path.GetDirectoryName(Path.GetFullPath(path))!, path);
        else throw new RepoException("openat(O_DIRECTORY): No such file or directory");
        if (!File.Exists(superblockPath)) throw new RepoException($"openat({Path.GetFileName(superblockPath)}): No such file or directory");

        var bytes = File.ReadAllBytes(superblockPath);
        if (DeltaSuperblock.IsSigned(bytes))
        {
            if (signature is null && repo.Config.KeyFile.GetBoolean(RepoConfig.CoreGroup, "sign-verify-deltas", false))
                throw new RepoException("Key is mandatory to check delta signature");
            if (signature is not null) SignedDeltaSuperblock.Verify(bytes, signature.Engine, signature.Verifier, superblockPath);
            bytes = DeltaSuperblock.Unwrap(bytes, superblockPath);
        }
        var sb = DeltaSuperblock.Parse(bytes, superblockPath);
        if (sb.From is { } from && !repo.HasObject(new ObjectName(from, ObjectType.Commit)))
            throw new RepoException($"Commit {from}, which is the delta source, is not in repository");
        if (sb.Fallbacks.Count > 0) throw new RepoException("Cannot execute delta offline: contains nonempty http fallback entries");

        var relDir = StaticDeltaNames.RelativeDirectory(sb.From, sb.To);
        using var tx = repo.BeginTransaction();
        var store = new VerifyingDeltaStore(tx, superblockPath);
        var commit = new ObjectName(sb.To, ObjectType.Commit);
        if (!tx.HasObject(commit))
        {
            // ostree reads the superblock as trusted: its detached metadata is copied as it is
            if (sb.GetMetadataValue(relDir + "/commitmeta", "a{sv}") is { } detached)
                tx.WriteDetachedMetadata(sb.To, detached);
            store.WriteMetadata(commit, sb.CommitBytes);
        }
        foreach (var h in sb.Parts)
        {
            ct.ThrowIfCancellationRequested();
            if (h.Version > DeltaSuperblock.MaxPartVersion) throw new StaticDeltaException($"Delta part has too new version {h.Version}");
            if (h.Objects.All(tx.HasObject)) continue;
            var what = h.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var data = sb.GetMetadataValue($"{relDir}/{h.Index}", "(yay)");
            if (data is null)
            {
                var partPath = Path.Combine(dir, what);
                if (!File.Exists(partPath)) throw new RepoException($"Opening deltapart '{what}': No such file or directory");
                data = File.ReadAllBytes(partPath);
                var actual = Checksum.FromBytes(SHA256.HashData(data));
                if (actual != h.Checksum)
                    throw new StaticDeltaException($"Checksum mismatch in static delta part; expected={h.Checksum} actual={actual}");
            }
            try { DeltaPartExecutor.Execute(DeltaPart.Open(data, what, h.UncompressedSize), h.Objects, new VerifyingDeltaStore(tx, what), ct); }
            catch (StaticDeltaException e) { throw new StaticDeltaException($"Executing delta part {h.Index}: {e.Message}"); }
            catch (CorruptObjectException e) { throw new CorruptObjectException($"Executing delta part {h.Index}: {e.Message}"); }
        }
        tx.Commit();
        return sb.To;
    }
}
