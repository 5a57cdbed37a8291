namespace Arbor.Repo.Signing;

/// <summary>One user ID of a key as gpgme lists it, with gpg's revoked / invalid flags.</summary>
public sealed record GpgUserIdInfo(GpgUserId Id, bool Revoked, bool Invalid);
