using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Arbor.Repo.Signing;

/// <summary>
/// A public key ring as gpg presents it through gpgme (what ostree's signature descriptions and
/// <c>remote gpg-list-keys</c> print): the primary key then the subkeys in keyring order, and
/// the user IDs with gpg's primary user ID first (a self-signature with the primary-user-ID
/// flag, newest first, else the newest self-signed user ID), the others in keyring order.
/// Expiry and revocation are judged at <c>now</c>, as gpg judges them when it lists the key.
/// </summary>
public sealed class GpgKeyView
{
    /// <param name="subkeys">The primary key first.</param>
    public GpgKeyView(IReadOnlyList<GpgSubkeyInfo> subkeys, IReadOnlyList<GpgUserIdInfo> userIds)
    {
        Subkeys = subkeys;
        UserIds = userIds;
    }

    /// <summary>The primary key first.</summary>
    public IReadOnlyList<GpgSubkeyInfo> Subkeys { get; }
    public IReadOnlyList<GpgUserIdInfo> UserIds { get; }
    public GpgSubkeyInfo Primary => Subkeys[0];

    public GpgSubkeyInfo? Find(long keyId) => Subkeys.FirstOrDefault(k => k.KeyId == keyId);

    public static GpgKeyView From(PgpPublicKeyRing ring, DateTimeOffset now)
    {
        var primary = ring.GetPublicKey();
        var subkeys = ring.GetPublicKeys().Select(k => Describe(k, now)).ToList();
        var userIds = UserIdsOf(primary);
        if (subkeys[0].Revoked)
        {
            // gpg lists every user ID and subkey of a revoked key as revoked, and the revoked
            // primary key itself as not expired (its expiry shows as "Expires:")
            userIds = userIds.Select(u => u with { Revoked = true }).ToList();
            subkeys = subkeys.Select((k, i) => i == 0 ? k with { Expired = false } : k with { Revoked = true }).ToList();
        }
        return new GpgKeyView(subkeys, userIds);
    }

    private static GpgSubkeyInfo Describe(PgpPublicKey key, DateTimeOffset now)
    {
        long created = new DateTimeOffset(DateTime.SpecifyKind(key.CreationTime, DateTimeKind.Utc)).ToUnixTimeSeconds();
        long valid = key.GetValidSeconds();
        long expires = valid > 0 ? created + valid : 0;
        return new GpgSubkeyInfo(Convert.ToHexString(key.GetFingerprint()), key.KeyId, created, expires,
            key.HasRevocation(), expires != 0 && expires < now.ToUnixTimeSeconds(), false);
    }

    private static List<GpgUserIdInfo> UserIdsOf(PgpPublicKey primary)
    {
        var all = new List<(GpgUserIdInfo Info, DateTime SelfSigned, bool PrimaryFlag)>();
        foreach (var uid in primary.GetUserIds())
        {
            DateTime certified = DateTime.MinValue, revokedAt = DateTime.MinValue;
            bool primaryFlag = false;
            foreach (PgpSignature sig in primary.GetSignaturesForId(uid))
            {
                if (sig.KeyId != primary.KeyId) continue; // third-party certifications
                if (sig.SignatureType == PgpSignature.CertificationRevocation)
                {
                    if (sig.CreationTime > revokedAt) revokedAt = sig.CreationTime;
                }
                else if (sig.CreationTime > certified)
                {
                    certified = sig.CreationTime;
                    primaryFlag = sig.GetHashedSubPackets()?.IsPrimaryUserId() ?? false;
                }
            }
            bool revoked = revokedAt != DateTime.MinValue && revokedAt >= certified;
            all.Add((new GpgUserIdInfo(GpgUserId.Parse(uid), revoked, false), certified, primaryFlag));
        }
        var candidates = all.Where(u => !u.Info.Revoked && u.SelfSigned != DateTime.MinValue).ToList();
        var pool = candidates.Any(u => u.PrimaryFlag) ? candidates.Where(u => u.PrimaryFlag).ToList() : candidates;
        var best = pool.Count == 0 ? default : pool.Aggregate((a, b) => Newer(b, a) ? b : a);
        var result = new List<GpgUserIdInfo>(all.Count);
        if (best.Info is not null) result.Add(best.Info);
        result.AddRange(all.Where(u => !ReferenceEquals(u.Info, best.Info)).Select(u => u.Info));
        return result;

        // gpg's tie-break (cmp_user_ids): the longer user ID, then the greater bytes
        static bool Newer((GpgUserIdInfo Info, DateTime SelfSigned, bool) b, (GpgUserIdInfo Info, DateTime SelfSigned, bool) a) =>
            b.SelfSigned > a.SelfSigned || (b.SelfSigned == a.SelfSigned &&
                (b.Info.Id.Uid.Length != a.Info.Id.Uid.Length ? b.Info.Id.Uid.Length > a.Info.Id.Uid.Length : string.CompareOrdinal(b.Info.Id.Uid, a.Info.Id.Uid) > 0));
    }

    /// <summary>gpgme's <c>gpgme_pubkey_algo_name</c>.</summary>
    public static string AlgorithmName(PublicKeyAlgorithmTag tag) => tag switch
    {
        PublicKeyAlgorithmTag.RsaGeneral => "RSA",
        PublicKeyAlgorithmTag.RsaEncrypt => "RSA-E",
        PublicKeyAlgorithmTag.RsaSign => "RSA-S",
        PublicKeyAlgorithmTag.Dsa => "DSA",
        PublicKeyAlgorithmTag.ECDsa => "ECDSA",
        PublicKeyAlgorithmTag.ECDH => "ECDH",
        PublicKeyAlgorithmTag.EdDsa_Legacy => "EdDSA",
        PublicKeyAlgorithmTag.ElGamalEncrypt => "ELG-E",
        PublicKeyAlgorithmTag.ElGamalGeneral => "ELG",
        _ => "[unknown name]",
    };
}
