using NSec.Cryptography;

namespace Arbor.Repo.Signing;

/// <summary>
/// Ed25519 keys in ostree's text forms (pull-protocol.md §5.2): a public key is 32 raw bytes in
/// base64; a secret key is libsodium's 64 bytes (seed ‖ public key) in base64. Key files hold one
/// base64 key per line. The only file that touches NSec besides the signer and verifier.
/// </summary>
public static class Ed25519Keys
{
    public const int PublicKeyBytes = 32;
    public const int SecretKeyBytes = 64;
    public const int SignatureBytes = 64;
    public const int SeedBytes = 32;

    internal static SignatureAlgorithm Algorithm => SignatureAlgorithm.Ed25519;

    /// <summary>Parses a base64 secret key (64-byte libsodium form; a bare 32-byte seed is accepted too).</summary>
    internal static Key ParseSecretKey(string base64)
    {
        byte[] raw;
        try { raw = Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { throw new SigningException("Incorrect ed25519 secret key"); }
        if (raw.Length != SecretKeyBytes && raw.Length != SeedBytes) throw new SigningException("Incorrect ed25519 secret key");
        var key = Key.Import(Algorithm, raw.AsSpan(0, SeedBytes), KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        if (raw.Length == SecretKeyBytes && !key.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(raw.AsSpan(SeedBytes)))
        {
            key.Dispose();
            throw new SigningException("Incorrect ed25519 secret key: its public half does not match its seed");
        }
        return key;
    }

    /// <summary>Parses a base64 public key.</summary>
    public static byte[] ParsePublicKey(string base64)
    {
        byte[] raw;
        try { raw = Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { throw new SigningException("Incorrect ed25519 public key"); }
        if (raw.Length != PublicKeyBytes) throw new SigningException("Incorrect ed25519 public key");
        return raw;
    }

    /// <summary>The public key (base64) of a base64 secret key.</summary>
    public static string PublicKeyOf(string secretKeyBase64)
    {
        using var key = ParseSecretKey(secretKeyBase64);
        return Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>Creates a key pair: (secret key base64 in the 64-byte form, public key base64).</summary>
    public static (string SecretKey, string PublicKey) Generate()
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        var pub = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        return (Convert.ToBase64String([.. seed, .. pub]), Convert.ToBase64String(pub));
    }

    /// <summary>Reads a key file: one base64 key per line; blank lines are skipped.</summary>
    public static IEnumerable<string> ReadKeyFile(string path)
    {
        if (!File.Exists(path)) throw new SigningException($"File object '{path}' is not a regular file");
        foreach (var line in File.ReadLines(path))
        {
            var t = line.Trim();
            if (t.Length > 0) yield return t;
        }
    }

    /// <summary>Public keys from a file of base64 keys.</summary>
    public static List<byte[]> LoadPublicKeyFile(string path) => ReadKeyFile(path).Select(ParsePublicKey).ToList();

    /// <summary>
    /// Trusted and revoked public keys from ostree's default places under <paramref name="baseDirs"/>
    /// (normally /etc/ostree and /usr/share/ostree): <c>trusted.ed25519</c>, <c>trusted.ed25519.d/*</c>,
    /// <c>revoked.ed25519</c>, <c>revoked.ed25519.d/*</c>.
    /// </summary>
    public static (List<byte[]> Trusted, List<byte[]> Revoked) LoadSystemKeys(IEnumerable<string> baseDirs)
    {
        var trusted = new List<byte[]>();
        var revoked = new List<byte[]>();
        foreach (var dir in baseDirs)
        {
            Load(Path.Combine(dir, "trusted.ed25519"), Path.Combine(dir, "trusted.ed25519.d"), trusted);
            Load(Path.Combine(dir, "revoked.ed25519"), Path.Combine(dir, "revoked.ed25519.d"), revoked);
        }
        return (trusted, revoked);

        static void Load(string file, string dir, List<byte[]> into)
        {
            if (File.Exists(file)) into.AddRange(LoadPublicKeyFile(file));
            if (Directory.Exists(dir))
                foreach (var f in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                    into.AddRange(LoadPublicKeyFile(f));
        }
    }

    internal static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var pk = PublicKey.Import(Algorithm, publicKey, KeyBlobFormat.RawPublicKey);
        return Algorithm.Verify(pk, data, signature);
    }

    internal static byte[] Sign(Key key, ReadOnlySpan<byte> data) => Algorithm.Sign(key, data);

    internal static byte[] RawPublicKey(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
}
