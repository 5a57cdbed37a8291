using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor rev-parse REV</c>: print the full checksum of a revision.</summary>
public static class RevParseCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var single = new Option<bool>("--single", "-S") { Description = "If the repository has exactly one commit, then print it; any other case will result in an error" };
        var rev = new Argument<string[]>("REV") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("rev-parse", "Output the target of a rev") { repo, single, rev };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var ctx = CommandContext.Get();
            var revs = p.GetValue(rev) ?? [];
            if (p.GetValue(single))
            {
                if (revs.Length > 0) throw new Arbor.Repo.Core.RepoException("Cannot specify arguments with --single");
                var commits = Arbor.Repo.Store.ObjectEnumerator.ListCommits(r).ToList();
                if (commits.Count == 0) throw new Arbor.Repo.Core.RepoException("No commit objects found");
                if (commits.Count > 1) throw new Arbor.Repo.Core.RepoException("Multiple commit objects found");
                ctx.Out.WriteLine(commits[0].ToString());
                return 0;
            }
            if (revs.Length == 0) throw new Arbor.Repo.Core.RepoException("REV must be specified");
            foreach (var v in revs) ctx.Out.WriteLine(RevParser.Resolve(r, v).ToString());
            return 0;
        });
        return cmd;
    }
}
