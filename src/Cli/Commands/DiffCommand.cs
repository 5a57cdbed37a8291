using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Repo.Core;
using Arbor.Repo.Diff;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor diff [--stats] [--fs-diff] [--no-xattrs] [--owner-uid=UID] [--owner-gid=GID] REV_OR_DIR [REV_OR_DIR]</c>,
/// as ot-builtin-diff.c: a path starting with "/" or "./" is a local directory, anything else a
/// revision; one argument compares REV^ with REV.
/// </summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var stats = new Option<bool>("--stats") { Description = "Print various statistics" };
        var fsDiff = new Option<bool>("--fs-diff") { Description = "Print filesystem diff" };
        var noXattrs = new Option<bool>("--no-xattrs") { Description = "Skip output of extended attributes" };
        var ownerUid = new Option<int>("--owner-uid") { Description = "Use file ownership user id for local files", HelpName = "UID", DefaultValueFactory = _ => -1 };
        var ownerGid = new Option<int>("--owner-gid") { Description = "Use file ownership group id for local files", HelpName = "GID", DefaultValueFactory = _ => -1 };
        var args = new Argument<string[]>("REV_OR_DIR") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("diff", "Compare directory TARGETDIR against revision REV") { repo, stats, fsDiff, noXattrs, ownerUid, ownerGid, args };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var a = p.GetValue(args) ?? [];
            if (a.Length < 1) throw new RepoException("REV must be specified");
            var (src, target) = a.Length == 1 ? (a[0] + "^", a[0]) : (a[0], a[1]);
            bool doStats = p.GetValue(stats);
            bool doFs = p.GetValue(fsDiff) || !doStats;
            var w = CommandContext.Get().Out;
            if (doFs)
            {
                var options = new DiffOptions(p.GetValue(noXattrs), p.GetValue(ownerUid), p.GetValue(ownerGid));
                var srcNode = Open(r, src);
                var targetNode = Open(r, target);
                var result = TreeDiff.Compare(srcNode, targetNode, options);
                DiffRenderer.Write(w, srcNode, targetNode, result);
            }
            if (doStats)
            {
                var revA = RevParser.Resolve(r, src);
                var revB = RevParser.Resolve(r, target);
                DiffRenderer.WriteStats(w, CommitObjectStats.Compare(r, revA, revB));
            }
            return 0;
        });
        return cmd;
    }

    /// <summary><c>parse_file_or_commit</c>.</summary>
    private static DiffNode Open(Repository r, string arg) =>
        arg.StartsWith('/') || arg.StartsWith("./", StringComparison.Ordinal)
            ? LocalDiffNode.Open(arg)
            : RepoDiffNode.ForCommit(r, RevParser.Resolve(r, arg));
}
