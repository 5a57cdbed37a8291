using System.Text;

namespace Arbor.Repo.Signing;

/// <summary>
/// ostree's <c>dummy</c> engine, made for testing and usable only with
/// <c>OSTREE_DUMMY_SIGN_ENABLED=1</c>: the "signature" is the secret key's text, and it verifies
/// when it equals the public key's text. Only one public key is held (the last one given), and it
/// cannot load keys from files. It lets Arbor's signed objects be checked against the real ostree,
/// which Debian builds without ed25519.
/// </summary>
internal sealed class DummySignEngine : SignEngine
{
    public const string EnableVariable = "OSTREE_DUMMY_SIGN_ENABLED";

    public override string Name => SignTypes.Dummy;

    public override void CheckSecretKey(string secretKey) => RequireEnabled();

    public override byte[] Sign(ReadOnlySpan<byte> data, string secretKey)
    {
        RequireEnabled();
        return Encoding.UTF8.GetBytes(secretKey);
    }

    public override ISignatureVerifier Verifier(IReadOnlyList<string> publicKeys, bool load = false, string? keysFile = null, string? keysDir = null)
    {
        if (load) throw new SigningException("not implemented");
        return new DummyVerifier(publicKeys.Count > 0 ? publicKeys[^1] : null);
    }

    private static void RequireEnabled()
    {
        if (Environment.GetEnvironmentVariable(EnableVariable) != "1")
            throw new SigningException("dummy signature type is only for ostree testing");
    }

    private sealed class DummyVerifier(string? publicKey) : ISignatureVerifier
    {
        public string Verify(ReadOnlySpan<byte> data, IReadOnlyList<byte[]>? signatures)
        {
            RequireEnabled();
            if (signatures is null) throw new SigningException("signature: dummy: commit have no signatures of my type");
            foreach (var s in signatures)
                if (publicKey is not null && Encoding.UTF8.GetString(s) == publicKey) return "dummy: Signature verified";
            if (signatures.Count > 0) throw new SigningException($"signature: dummy: incorrect signatures found: {signatures.Count}");
            throw new SigningException("signature: dummy: no signatures");
        }
    }
}
