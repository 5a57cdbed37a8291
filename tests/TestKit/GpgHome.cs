namespace Arbor.TestKit;

/// <summary>
/// A throwaway GnuPG home with one Ed25519 signing key made by the real gpg, for GPG signature
/// tests (the key is exported as a binary keyring, and ostree gpg-sign signs with it).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GpgHome : IDisposable
{
    public string Path { get; }
    public string Fingerprint { get; }
    public string KeyId => Fingerprint[^16..];

    public GpgHome(string parent, string name = "Arbor Test", string email = "test@example.com")
    {
        // gpg-agent's socket path must stay short: use a short directory under /tmp
        Path = System.IO.Path.Combine("/tmp", "agpg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Gpg("--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", $"{name} <{email}>", "ed25519", "sign", "never");
        var colons = Gpg("--with-colons", "--fingerprint", email);
        Fingerprint = colons.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        _ = parent;
    }

    public string Gpg(params string[] args)
    {
        var r = ProcessRunner.Run("gpg", ["--homedir", Path, .. args]);
        if (r.ExitCode != 0) throw new InvalidOperationException($"gpg {string.Join(' ', args)} failed: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>The public key as <c>gpg --export</c> writes it (binary).</summary>
    public byte[] ExportPublicKey()
    {
        var file = System.IO.Path.Combine(Path, "export.gpg");
        Gpg("--batch", "--yes", "--output", file, "--export", Fingerprint);
        return File.ReadAllBytes(file);
    }

    /// <summary>Imports the revocation certificate gpg made at key creation, so the key is revoked.</summary>
    public void Revoke()
    {
        var rev = System.IO.Path.Combine(Path, "openpgp-revocs.d", Fingerprint + ".rev");
        var text = File.ReadAllText(rev).Replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        var fixedRev = System.IO.Path.Combine(Path, "revoke.asc");
        File.WriteAllText(fixedRev, text);
        Gpg("--batch", "--import", fixedRev);
    }

    public void Dispose()
    {
        ProcessRunner.Run("gpgconf", ["--homedir", Path, "--kill", "all"]);
        TempDirectory.Remove(Path);
    }
}
