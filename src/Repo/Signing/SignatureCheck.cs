namespace Arbor.Repo.Signing;

/// <summary>An engine and the verifier holding its trusted keys: what a signed object is checked with.</summary>
public sealed record SignatureCheck(SignEngine Engine, ISignatureVerifier Verifier);
