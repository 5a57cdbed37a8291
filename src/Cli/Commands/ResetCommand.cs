using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor reset REF COMMIT</c>, as ot-builtin-reset.c: REF must be an existing ref (local, or
/// REMOTE:REF); COMMIT is any revision. Like ostree 2022.7 there is no ancestry check.
/// </summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var args = new Argument<string[]>("REF COMMIT") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("reset", "Reset a REF to a previous COMMIT") { repo, args };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var a = p.GetValue(args) ?? [];
            if (a.Length < 2) throw new RepoException("A REF and COMMIT argument is required");
            r.EnsureWritable();
            var (refName, target) = (a[0], a[1]);
            var known = new RefListing(r).List(null);
            if (!known.ContainsKey(refName)) throw new RepoException($"Invalid ref '{refName}'");
            var checksum = RevParser.Resolve(r, target);
            using var lk = r.Lock(exclusive: false);
            var (remote, name) = Refspec.Parse(refName);
            RefWriter.Set(r, remote, name, checksum);
            return 0;
        });
        return cmd;
    }
}
