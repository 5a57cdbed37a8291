namespace Arbor.Repo.Signing;

/// <summary>
/// One (sub)key as gpgme lists it: upper-case hex fingerprint, creation and expiry as Unix times
/// (expiry 0: never), and gpg's revoked / expired / invalid flags.
/// </summary>
public sealed record GpgSubkeyInfo(string Fingerprint, long KeyId, long Created, long Expires, bool Revoked, bool Expired, bool Invalid);
