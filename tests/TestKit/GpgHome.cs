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

    /// <param name="algo">gpg's algorithm name ("ed25519", "rsa2048" ...).</param>
    /// <param name="expire">"never" or an ISO date the key expires on.</param>
    /// <param name="fakedTime">gpg's <c>--faked-system-time</c> (e.g. 20200101T000000) to make the key in the past.</param>
    public GpgHome(string parent, string name = "Arbor Test", string email = "test@example.com",
        string algo = "ed25519", string expire = "never", string? fakedTime = null)
    {
        // gpg-agent's socket path must stay short: use a short directory under /tmp
        Path = System.IO.Path.Combine("/tmp", "agpg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] faked = fakedTime is null ? [] : ["--faked-system-time", fakedTime];
        Gpg([.. faked, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", $"{name} <{email}>", algo, "sign", expire]);
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

    /// <summary>Adds a subkey (usage "sign" or "encr"); returns its fingerprint.</summary>
    public string AddSubkey(string algo, string usage, string expire)
    {
        Gpg("--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-add-key", Fingerprint, algo, usage, expire);
        return Gpg("--with-colons", "--list-keys", Fingerprint).Split('\n')
            .Where(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Select(l => l.Split(':')[9]).Last();
    }

    /// <summary>Adds a user ID ("Name &lt;email&gt;").</summary>
    public void AddUserId(string uid) =>
        Gpg("--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-add-uid", Fingerprint, uid);

    /// <summary>Writes gpg.conf (options every later gpg run in this home reads, e.g. "default-sig-expire 2030-01-01").</summary>
    public void Configure(params string[] lines) => File.WriteAllText(System.IO.Path.Combine(Path, "gpg.conf"), string.Join('\n', lines) + "\n");

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
