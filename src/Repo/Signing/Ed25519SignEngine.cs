namespace Arbor.Repo.Signing;

/// <summary>The <c>ed25519</c> engine: base64 keys, 64-byte signatures (<see cref="Ed25519Keys"/>).</summary>
internal sealed class Ed25519SignEngine : SignEngine
{
    /// <summary>Where <c>load_pk</c> looks without a keys directory: ostree's sysconf and data directories.</summary>
    private static readonly string[] SystemKeyDirs = ["/etc/ostree", "/usr/share/ostree"];

    public override string Name => SignTypes.Ed25519;

    public override void CheckSecretKey(string secretKey) => Ed25519Keys.PublicKeyOf(secretKey);

    public override byte[] Sign(ReadOnlySpan<byte> data, string secretKey) => Ed25519Signer.Sign(data, secretKey);

    public override ISignatureVerifier Verifier(IReadOnlyList<string> publicKeys, bool load = false, string? keysFile = null, string? keysDir = null)
    {
        var trusted = publicKeys.Select(Ed25519Keys.ParsePublicKey).ToList();
        var revoked = new List<byte[]>();
        if (load)
        {
            if (keysFile is not null)
            {
                var fromFile = Ed25519Keys.LoadPublicKeyFile(keysFile);
                if (fromFile.Count == 0) throw new SigningException($"signature: ed25519: no valid keys in file '{keysFile}'");
                trusted.AddRange(fromFile);
            }
            else
            {
                var (sysTrusted, sysRevoked) = Ed25519Keys.LoadSystemKeys(keysDir is null ? SystemKeyDirs : [keysDir]);
                if (sysTrusted.Count == 0) throw new SigningException("signature: ed25519: no keys loaded");
                trusted.AddRange(sysTrusted);
                revoked.AddRange(sysRevoked);
            }
        }
        return new Ed25519Verifier(trusted, revoked);
    }
}
