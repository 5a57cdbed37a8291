using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Fsck;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor fsck [--quiet] [--all] [--delete] [--add-tombstones] [--verify-bindings] [--verify-back-refs]</c>:
/// check the repository for consistency, printing what ostree 2022.7 prints.
/// </summary>
public static class FsckCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var addTombstones = new Option<bool>("--add-tombstones") { Description = "Add tombstones for missing commits" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only print error messages" };
        var all = new Option<bool>("--all", "-a") { Description = "Don't stop on first error" };
        var delete = new Option<bool>("--delete") { Description = "Remove corrupted objects" };
        var verifyBindings = new Option<bool>("--verify-bindings") { Description = "Verify ref bindings" };
        var verifyBackRefs = new Option<bool>("--verify-back-refs") { Description = "Verify back-references (implies --verify-bindings)" };
        var cmd = new Command("fsck", "Check the repository for consistency")
        {
            repo, addTombstones, quiet, all, delete, verifyBindings, verifyBackRefs,
        };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var ctx = CommandContext.Get();
            var reporter = new Reporter(ctx, p.GetValue(quiet));
            var options = new FsckOptions
            {
                All = p.GetValue(all),
                Delete = p.GetValue(delete),
                AddTombstones = p.GetValue(addTombstones),
                VerifyBindings = p.GetValue(verifyBindings),
                VerifyBackRefs = p.GetValue(verifyBackRefs),
            };
            FsckResult result;
            try { result = Fsck.Run(r, options, reporter); }
            finally { reporter.Finish(); }
            result.EnsureSuccess();
            ctx.Out.WriteLine(result.SuccessMessage);
            return ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary>ostree's streams: steps, progress and results on stdout; problems on stderr.</summary>
    private sealed class Reporter(CommandContext ctx, bool quiet) : IFsckReporter
    {
        private readonly ConsoleProgress _progress = new(ctx.Out, ctx.IsTerminal);

        public void Phase(string message)
        {
            if (!quiet) ctx.Out.WriteLine(message);
        }

        // ostree prints object progress even with --quiet
        public void Progress(int done, int total) => _progress.Items("fsck objects", done, total);

        public void Problem(string message) => ctx.Error.WriteLine(message);

        public void Info(string message) => ctx.Out.WriteLine(message);

        public void Finish() => _progress.Finish();
    }
}
