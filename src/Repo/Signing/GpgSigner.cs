using System.ComponentModel;
using System.Diagnostics;

namespace Arbor.Repo.Signing;

/// <summary>
/// Makes detached OpenPGP signatures (binary, as ostree stores them under <c>ostree.gpgsigs</c>)
/// by running the <c>gpg</c> program: ostree signs through gpgme, that is through gpg and its agent
/// with the keys of a GnuPG home directory (<c>--gpg-homedir</c>, else gpg's default), and so does
/// this. Errors name the key and the home as ostree's do.
/// </summary>
public sealed class GpgSigner(string? homedir)
{
    private const string Program = "gpg";

    public string? Homedir { get; } = homedir;

    private string HomeText => Homedir ?? "<default>";

    /// <summary>
    /// The 16-digit key IDs (upper-case hex) of the secret key <paramref name="keyId"/> names and its
    /// subkeys; throws as ostree does when no key or more than one key matches.
    /// </summary>
    public IReadOnlySet<string> ResolveKey(string keyId)
    {
        var (code, stdout, _) = Run(["--with-colons", "--list-secret-keys", "--", keyId], null);
        var lines = code == 0 ? System.Text.Encoding.UTF8.GetString(stdout).Split('\n') : [];
        int keys = lines.Count(l => l.StartsWith("sec:", StringComparison.Ordinal));
        if (keys == 0) throw new SigningException($"No gpg key found with ID {keyId} (homedir: {HomeText})");
        if (keys > 1) throw new SigningException($"gpg key id {keyId} ambiguous (homedir: {HomeText}). Try the fingerprint instead");
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var fields = line.Split(':');
            if (fields[0] == "fpr" && fields.Length > 9 && fields[9].Length >= 16) ids.Add(fields[9][^16..].ToUpperInvariant());
        }
        return ids;
    }

    /// <summary>A detached signature of <paramref name="data"/> made with <paramref name="keyId"/>.</summary>
    public byte[] Sign(byte[] data, string keyId)
    {
        ResolveKey(keyId);
        var (code, signature, stderr) = Run(["--no-armor", "--local-user", keyId, "--detach-sign", "--output", "-"], data);
        if (code != 0 || signature.Length == 0)
            throw new SigningException($"Failure signing commit file: {FirstLine(stderr)}");
        return signature;
    }

    /// <summary>Runs gpg (batch mode, the home directory if one was given) with <paramref name="stdin"/> as its input.</summary>
    private (int Code, byte[] Stdout, string Stderr) Run(string[] args, byte[]? stdin)
    {
        var psi = new ProcessStartInfo(Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Homedir is not null) { psi.ArgumentList.Add("--homedir"); psi.ArgumentList.Add(Homedir); }
        foreach (var a in (string[])["--batch", "--no-tty", "--yes", .. args]) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi) ?? throw new SigningException($"Failed to run {Program}");
            var output = new MemoryStream();
            var readOut = p.StandardOutput.BaseStream.CopyToAsync(output);
            var readErr = p.StandardError.ReadToEndAsync();
            try
            {
                if (stdin is not null) p.StandardInput.BaseStream.Write(stdin);
            }
            catch (IOException) { /* gpg exited early: its exit code and stderr tell why */ }
            p.StandardInput.Close();
            readOut.GetAwaiter().GetResult();
            var err = readErr.GetAwaiter().GetResult();
            p.WaitForExit();
            return (p.ExitCode, output.ToArray(), err);
        }
        catch (Win32Exception e) { throw new SigningException($"Running {Program}: {e.Message}"); }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return line ?? "gpg failed";
    }
}
