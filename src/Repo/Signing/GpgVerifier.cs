using System.Globalization;
using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Arbor.Repo.Signing;

/// <summary>
/// Verifies detached OpenPGP signatures (<c>ostree.gpgsigs</c>) as ostree's <c>gpg-verify</c> does
/// (pull-protocol.md §5.1), with BouncyCastle instead of gpgme: a signature counts when it
/// verifies over the exact bytes with a key from the configured keyrings, and neither the key
/// (nor its primary key) is revoked or expired, nor the signature expired — gpgme's "valid"
/// (summary VALID/GREEN, or no summary and no error). Keyrings are binary (<c>gpg --export</c>)
/// or ASCII-armoured.
/// </summary>
public sealed class GpgVerifier
{
    private readonly List<PgpPublicKeyRing> _rings = new();

    public int KeyringCount => _rings.Count;

    /// <summary>
    /// Adds every public key ring found in <paramref name="data"/> (binary or armoured). Data that
    /// is not OpenPGP ends the reading without an error, as gpg's import passes over it (a
    /// <c>gpgkeypath</c> directory holds gpg's other files too).
    /// </summary>
    public void AddKeyring(byte[] data)
    {
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(data));
            var factory = new PgpObjectFactory(input);
            object? o;
            while ((o = NextObject(factory)) is not null)
            {
                if (o is PgpPublicKeyRing ring) _rings.Add(ring);
            }
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException)
        {
            // not (or no longer) OpenPGP data: the keys read so far count
        }
    }

    private static object? NextObject(PgpObjectFactory factory)
    {
        while (true)
        {
            try { return factory.NextPgpObject(); }
            catch (IOException e) when (e.Message.Contains("unknown object", StringComparison.OrdinalIgnoreCase))
            {
                // trust packets and the like between rings: skip
            }
        }
    }

    /// <summary>Every key ring, in the order keys are looked up (the first ring holding a key wins, as in gpg).</summary>
    public IReadOnlyList<PgpPublicKeyRing> Rings => _rings;

    /// <summary>
    /// Adds a key file, or every regular file (not a symlink, socket...) in a directory, as
    /// ostree's <c>_ostree_gpg_verifier_add_keyfile_path</c> does for <c>gpgkeypath</c>; a path
    /// that is neither fails with its <c>opendir</c> error.
    /// </summary>
    public void AddPath(string path)
    {
        if (Directory.Exists(path))
        {
            foreach (var f in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
                if (Native.Files.TryLStat(f) is { IsRegular: true }) AddKeyring(File.ReadAllBytes(f));
        }
        else if (File.Exists(path)) AddKeyring(File.ReadAllBytes(path));
        else throw new SigningException($"opendir({path}): No such file or directory");
    }

    /// <summary>
    /// Adds the <c>*.gpg</c> keyrings of a directory (not trustdb.gpg or secring.gpg) in directory
    /// order, as ostree's <c>_ostree_gpg_verifier_add_keyring_dir_at</c> reads them with readdir.
    /// </summary>
    public void AddKeyringDirectory(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, "*.gpg"))
        {
            var name = Path.GetFileName(f);
            if (name is "trustdb.gpg" or "secring.gpg") continue;
            AddKeyring(File.ReadAllBytes(f));
        }
    }

    /// <summary>Checks each signature packet in <paramref name="signatures"/> over <paramref name="data"/>.</summary>
    public List<GpgSignatureResult> Verify(ReadOnlySpan<byte> data, IReadOnlyList<byte[]> signatures, DateTimeOffset now)
    {
        var results = new List<GpgSignatureResult>();
        var bytes = data.ToArray();
        foreach (var blob in signatures)
        {
            foreach (var sig in ReadSignatures(blob))
                results.Add(Check(sig, bytes, now));
        }
        return results;
    }

    /// <summary>Throws unless at least one signature is valid; the message is ostree's description of the last one.</summary>
    public static void RequireValid(IReadOnlyList<GpgSignatureResult> results)
    {
        if (results.Any(r => r.Valid)) return;
        if (results.Count == 0) throw new SigningException("No GPG signatures found");
        var sb = new StringBuilder();
        for (int i = results.Count - 1; i >= 0; i--) sb.Append(results[i].Describe());
        throw new SigningException(sb.ToString().TrimEnd('\n'));
    }

    /// <summary>The issuer key IDs (16 upper-case hex digits) of the signatures in one <c>ostree.gpgsigs</c> entry.</summary>
    public static IReadOnlyList<string> IssuerKeyIds(byte[] blob) =>
        ReadSignatures(blob).Select(s => s.KeyId.ToString("X16", CultureInfo.InvariantCulture)).ToList();

    private static IEnumerable<PgpSignature> ReadSignatures(byte[] blob)
    {
        var list = new List<PgpSignature>();
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(blob));
            var factory = new PgpObjectFactory(input);
            object? o;
            while ((o = factory.NextPgpObject()) is not null)
            {
                switch (o)
                {
                    case PgpSignatureList sl:
                        for (int i = 0; i < sl.Count; i++) list.Add(sl[i]);
                        break;
                    case PgpCompressedData cd:
                        factory = new PgpObjectFactory(cd.GetDataStream());
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or PgpException)
        {
            throw new SigningException($"Invalid GPG signature data: {e.Message}");
        }
        return list;
    }

    private GpgSignatureResult Check(PgpSignature sig, byte[] data, DateTimeOffset now)
    {
        var keyId = sig.KeyId.ToString("X16", CultureInfo.InvariantCulture);
        long created = new DateTimeOffset(DateTime.SpecifyKind(sig.CreationTime, DateTimeKind.Utc)).ToUnixTimeSeconds();
        var algorithm = GpgKeyView.AlgorithmName(sig.KeyAlgorithm);
        long sigLifetime = sig.GetHashedSubPackets()?.GetSignatureExpirationTime() ?? 0;
        long sigExpires = sigLifetime > 0 ? created + sigLifetime : 0;
        PgpPublicKey? key = null;
        PgpPublicKeyRing? ring = null;
        foreach (var r in _rings)
        {
            key = r.GetPublicKey(sig.KeyId);
            if (key is not null) { ring = r; break; }
        }
        if (key is null || ring is null) return GpgSignatureResult.Missing(keyId, algorithm, created, sigExpires);

        var view = GpgKeyView.From(ring, now);
        var signing = view.Find(sig.KeyId)!;
        bool good;
        try
        {
            sig.InitVerify(key);
            sig.Update(data);
            good = sig.Verify();
        }
        catch (PgpException)
        {
            good = false;
        }
        bool revoked = signing.Revoked || view.Primary.Revoked;
        bool keyExpired = signing.Expired || view.Primary.Expired;
        bool sigExpired = sigExpires != 0 && sigExpires < now.ToUnixTimeSeconds();
        var uid = view.UserIds.FirstOrDefault()?.Id;
        return new GpgSignatureResult(signing.Fingerprint, algorithm, created, sigExpires,
            good && !revoked && !keyExpired && !sigExpired, false, revoked, keyExpired, sigExpired,
            view.Primary.Fingerprint, uid?.Name ?? "[unknown name]", uid?.Email ?? "[unknown email]", uid?.Uid,
            signing.Expires, view.Primary.Expires);
    }
}
