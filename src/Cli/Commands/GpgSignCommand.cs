using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor gpg-sign [--delete] COMMIT KEY-ID…</c>: adds GPG signatures made by <c>gpg</c> (keys of
/// <c>--gpg-homedir</c>) to a commit's detached metadata, or with <c>--delete</c> removes those whose
/// issuer is one of the KEY-IDs and prints how many.
/// </summary>
public static class GpgSignCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var delete = new Option<bool>("--delete", "-d") { Description = "Delete signatures having any of the GPG KEY-IDs" };
        var homedir = new Option<string?>("--gpg-homedir") { Description = "GPG Homedir to use when looking for keyrings", HelpName = "HOMEDIR" };
        var args = new Argument<string[]>("COMMIT KEY-ID...") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("gpg-sign", "Sign a commit") { repo, delete, homedir, args };
        cmd.SetAction(p =>
        {
            var a = p.GetValue(args) ?? [];
            var r = RepoLocator.Open(p.GetValue(repo));
            if (a.Length < 1) throw new RepoException("Need a COMMIT to sign");
            if (a.Length < 2) throw new RepoException("Need at least one GPG KEY-ID to sign with");
            var commit = RevParser.Resolve(r, a[0]);
            var keys = a[1..];
            if (p.GetValue(delete))
            {
                int n = GpgSigning.DeleteCommitSignatures(r, commit, keys);
                CommandContext.Get().Out.WriteLine($"Signatures deleted: {n}");
                return 0;
            }
            GpgSigning.SignCommit(r, commit, keys, new GpgSigner(p.GetValue(homedir)));
            return 0;
        });
        return cmd;
    }
}
