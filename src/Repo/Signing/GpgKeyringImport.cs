using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Arbor.Repo.Signing;

/// <summary>
/// <c>remote gpg-import</c> / <c>remote add --gpg-import</c>: merges public keys (binary or
/// ASCII-armoured) into the remote's keyring <c>REPO/NAME.trustedkeys.gpg</c>, a binary keyring
/// as <c>gpg --export</c> writes it. Keys already present are not added twice.
/// </summary>
public static class GpgKeyringImport
{
    /// <returns>The number of keys added.</returns>
    public static int Import(RemoteStore store, string remoteName, IEnumerable<byte[]> keyData)
    {
        store.Get(remoteName); // "Remote "x" not found"
        var path = store.Repository.FullPath(remoteName + ".trustedkeys.gpg");
        var rings = new List<PgpPublicKeyRing>();
        if (File.Exists(path)) rings.AddRange(Read(File.ReadAllBytes(path), path));
        int added = 0;
        foreach (var data in keyData)
        {
            foreach (var ring in Read(data, "input"))
            {
                if (rings.Any(r => r.GetPublicKey().KeyId == ring.GetPublicKey().KeyId)) continue;
                rings.Add(ring);
                added++;
            }
        }
        using var ms = new MemoryStream();
        foreach (var r in rings) r.Encode(ms);
        AtomicFile.WriteAllBytes(path, ms.ToArray(), 0x1A4, store.Repository.Config.Fsync);
        return added;
    }

    private static List<PgpPublicKeyRing> Read(byte[] data, string origin)
    {
        var v = new List<PgpPublicKeyRing>();
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(data));
            var factory = new PgpObjectFactory(input);
            object? o;
            while ((o = factory.NextPgpObject()) is not null)
                if (o is PgpPublicKeyRing ring) v.Add(ring);
        }
        catch (Exception e) when (e is IOException or PgpException)
        {
            throw new SigningException($"Reading GPG keys from {origin}: {e.Message}");
        }
        return v;
    }
}
