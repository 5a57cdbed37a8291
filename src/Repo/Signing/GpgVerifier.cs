using System.Globalization;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Arbor.Repo.Signing;

/// <summary>The outcome for one OpenPGP signature, with the fields ostree's description uses.</summary>
public sealed record GpgSignatureResult(
    string KeyId, string? PrimaryKeyId, string Algorithm, DateTimeOffset Created, string? UserId,
    bool Valid, bool KeyMissing, bool KeyRevoked, bool KeyExpired, bool SignatureExpired)
{
    /// <summary>ostree's two-line description ("Signature made … using … key ID …", then the verdict).</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append("Signature made ").Append(Core.CLocaleTime.Format(Created.ToLocalTime()))
          .Append(" using ").Append(Algorithm).Append(" key ID ").Append(KeyId).Append('\n');
        var who = UserId ?? "";
        if (KeyMissing) sb.Append("Can't check signature: public key not found\n");
        else if (Valid) sb.Append("Good signature from \"").Append(who).Append("\"\n");
        else if (KeyRevoked) sb.Append("Key revoked\n");
        else if (SignatureExpired) sb.Append("Expired signature from \"").Append(who).Append("\"\n");
        else sb.Append("BAD signature from \"").Append(who).Append("\"\n");
        if (!KeyMissing && PrimaryKeyId is not null && PrimaryKeyId != KeyId) sb.Append("Primary key ID ").Append(PrimaryKeyId).Append('\n');
        if (!KeyMissing && KeyExpired) sb.Append("Key expired\n");
        return sb.ToString();
    }
}

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

    /// <summary>Adds every public key ring found in <paramref name="data"/> (binary or armoured).</summary>
    public void AddKeyring(byte[] data, string origin)
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
        catch (Exception e) when (e is IOException or PgpException)
        {
            throw new SigningException($"Reading GPG keyring {origin}: {e.Message}");
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

    /// <summary>Adds a keyring file, or every regular file in a directory (ostree's <c>gpgkeypath</c>).</summary>
    public void AddPath(string path)
    {
        if (Directory.Exists(path))
        {
            foreach (var f in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal)) AddKeyring(File.ReadAllBytes(f), f);
        }
        else if (File.Exists(path)) AddKeyring(File.ReadAllBytes(path), path);
        else throw new SigningException($"opening GPG key file {path}: No such file or directory");
    }

    /// <summary>Adds the <c>*.gpg</c> keyrings of a directory (not trustdb.gpg or secring.gpg), as ostree's global keyring dir.</summary>
    public void AddKeyringDirectory(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, "*.gpg").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(f);
            if (name is "trustdb.gpg" or "secring.gpg") continue;
            AddKeyring(File.ReadAllBytes(f), f);
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
        var created = new DateTimeOffset(DateTime.SpecifyKind(sig.CreationTime, DateTimeKind.Utc));
        var algorithm = AlgorithmName(sig.KeyAlgorithm);
        PgpPublicKey? key = null;
        PgpPublicKeyRing? ring = null;
        foreach (var r in _rings)
        {
            key = r.GetPublicKey(sig.KeyId);
            if (key is not null) { ring = r; break; }
        }
        if (key is null || ring is null)
            return new GpgSignatureResult(keyId, null, algorithm, created, null, false, true, false, false, false);

        var primary = ring.GetPublicKey();
        var userId = primary.GetUserIds().OfType<string>().FirstOrDefault();
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
        bool revoked = key.HasRevocation() || primary.HasRevocation();
        bool keyExpired = IsExpired(key, now) || IsExpired(primary, now);
        bool sigExpired = false;
        var hashed = sig.GetHashedSubPackets();
        if (hashed is not null)
        {
            long exp = hashed.GetSignatureExpirationTime();
            if (exp > 0 && created.AddSeconds(exp) < now) sigExpired = true;
        }
        var primaryId = primary.KeyId.ToString("X16", CultureInfo.InvariantCulture);
        return new GpgSignatureResult(keyId, primaryId, algorithm, created, userId,
            good && !revoked && !keyExpired && !sigExpired, false, revoked, keyExpired, sigExpired);
    }

    private static bool IsExpired(PgpPublicKey key, DateTimeOffset now)
    {
        long valid = key.GetValidSeconds();
        if (valid <= 0) return false;
        var created = new DateTimeOffset(DateTime.SpecifyKind(key.CreationTime, DateTimeKind.Utc));
        return created.AddSeconds(valid) < now;
    }

    /// <summary>gpgme's <c>gpgme_pubkey_algo_name</c>.</summary>
    private static string AlgorithmName(PublicKeyAlgorithmTag tag) => tag switch
    {
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign or PublicKeyAlgorithmTag.RsaEncrypt => "RSA",
        PublicKeyAlgorithmTag.Dsa => "DSA",
        PublicKeyAlgorithmTag.ECDsa => "ECDSA",
        PublicKeyAlgorithmTag.EdDsa_Legacy => "EdDSA",
        PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral => "ELG",
        _ => tag.ToString(),
    };
}
