using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Read;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor cat COMMIT PATH...</c>: file contents, streamed, symlinks followed inside the commit.</summary>
public static class CatCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var args = new Argument<string[]>("COMMIT PATH...") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("cat", "Concatenate contents of files") { repo, args };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var a = p.GetValue(args) ?? [];
            if (a.Length < 2) throw new RepoException("A COMMIT and at least one PATH argument are required");
            var root = RepoPath.ForCommit(r, RevParser.Resolve(r, a[0]));
            root.EnsureResolved();
            var output = CommandContext.Get().OpenBinaryOut();
            try
            {
                foreach (var path in a.Skip(1))
                {
                    using var input = root.ResolveRelative(path).OpenRead();
                    input.CopyTo(output, 128 * 1024);
                }
            }
            finally { output.Flush(); }
            return 0;
        });
        return cmd;
    }
}
