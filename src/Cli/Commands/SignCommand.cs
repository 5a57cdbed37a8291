using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor sign COMMIT KEY-ID…</c>: sign a commit into its detached metadata
/// (<c>ostree.sign.ed25519</c>, or <c>ostree.sign.dummy</c> with <c>-s dummy</c>); <c>--verify</c>
/// checks with public keys; <c>-d</c> removes the Ed25519 signatures made by the given keys.
/// Ed25519 keys are base64 (secret: 64-byte libsodium form).
/// </summary>
public static class SignCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var delete = new Option<bool>("--delete", "-d") { Description = "Delete signatures having any of the KEY-IDs" };
        var verify = new Option<bool>("--verify") { Description = "Verify signatures" };
        var signType = new Option<string?>("--sign-type", "-s") { Description = "Signature type to use (defaults to 'ed25519')", HelpName = "NAME" };
        var keysFile = new Option<string?>("--keys-file") { Description = "Read key(s) from file", HelpName = "NAME" };
        var keysDir = new Option<string?>("--keys-dir") { Description = "Redefine system-wide directories with public and revoked keys for verification", HelpName = "NAME" };
        var args = new Argument<string[]>("COMMIT KEY-ID...") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("sign", "Sign a commit") { repo, delete, verify, signType, keysFile, keysDir, args };
        cmd.SetAction(p =>
        {
            var a = p.GetValue(args) ?? [];
            if (a.Length < 1) throw new RepoException("Need a COMMIT to sign or verify");
            bool doVerify = p.GetValue(verify);
            var file = p.GetValue(keysFile);
            if (!doVerify && file is null && a.Length < 2) throw new RepoException("Need at least one KEY-ID to sign with");
            var r = RepoLocator.Open(p.GetValue(repo));
            var commit = RevParser.Resolve(r, a[0]);
            var engine = SignEngine.ByName(p.GetValue(signType) ?? SignTypes.Ed25519);
            var keys = a[1..];
            var o = CommandContext.Get().Out;

            if (doVerify)
            {
                var commitBytes = r.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
                var sigs = SignatureMetadata.Get(r.LoadDetachedMetadata(commit), engine.MetadataKey);
                foreach (var k in keys)
                {
                    ISignatureVerifier verifier;
                    try { verifier = engine.Verifier([k]); }
                    catch (SigningException) { continue; }
                    try
                    {
                        o.WriteLine(verifier.Verify(commitBytes, sigs));
                        return 0;
                    }
                    catch (SigningException) { }
                }
                if (keys.Length == 0 || file is not null)
                {
                    o.WriteLine(engine.Verifier([], load: true, file, p.GetValue(keysDir)).Verify(commitBytes, sigs));
                    return 0;
                }
                throw new SigningException("No valid signatures found");
            }

            if (p.GetValue(delete))
            {
                if (engine != SignEngine.Ed25519) throw new SigningException($"Deleting {engine.Name} signatures is not supported");
                var pks = keys.Select(k => TryPublic(k)).Where(k => k is not null).Select(k => k!).ToList();
                Ed25519Signer.DeleteCommitSignatures(r, commit, pks);
                return 0;
            }
            foreach (var k in keys) engine.SignCommit(r, commit, k);
            if (file is not null)
                foreach (var k in Ed25519Keys.ReadKeyFile(file)) engine.SignCommit(r, commit, k);
            return 0;
        });
        return cmd;
    }

    /// <summary>A KEY-ID for deletion may be a public key or a secret key (its public half is used).</summary>
    private static byte[]? TryPublic(string key)
    {
        try { return Ed25519Keys.ParsePublicKey(key); }
        catch (SigningException) { }
        try { return Ed25519Keys.ParsePublicKey(Ed25519Keys.PublicKeyOf(key)); }
        catch (SigningException) { return null; }
    }
}
