using System.CommandLine;
using System.Globalization;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Prune;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor prune [--no-prune] [--refs-only] [--depth=N] [--delete-commit=C] [--keep-younger-than=DATE]
/// [--static-deltas-only] [--retain-branch-depth=BRANCH=N]... [--only-branch=BRANCH]... [--commit-only]</c>:
/// delete unreachable objects and print ostree's two summary lines.
/// </summary>
public static class PruneCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var noPrune = new Option<bool>("--no-prune") { Description = "Only display unreachable objects; don't delete" };
        var refsOnly = new Option<bool>("--refs-only") { Description = "Only compute reachability via refs" };
        var depth = new Option<int>("--depth") { Description = "Only traverse DEPTH parents for each commit (default: -1=infinite)", HelpName = "DEPTH", DefaultValueFactory = _ => -1 };
        var deleteCommit = new Option<string?>("--delete-commit") { Description = "Specify a commit to delete", HelpName = "COMMIT" };
        var keepYoungerThan = new Option<string?>("--keep-younger-than") { Description = "Prune all commits older than the specified date", HelpName = "DATE" };
        var staticDeltasOnly = new Option<bool>("--static-deltas-only") { Description = "Change the behavior of delete-commit and keep-younger-than to prune only static deltas" };
        var retainBranchDepth = new Option<string[]>("--retain-branch-depth") { Description = "Additionally retain BRANCH=DEPTH commits", HelpName = "BRANCH=DEPTH" };
        var onlyBranch = new Option<string[]>("--only-branch") { Description = "Only prune BRANCH (may be specified multiple times)", HelpName = "BRANCH" };
        var commitOnly = new Option<bool>("--commit-only") { Description = "Only traverse and delete commit objects." };
        var cmd = new Command("prune", "Search for unreachable objects")
        {
            repo, noPrune, refsOnly, depth, deleteCommit, keepYoungerThan, staticDeltasOnly, retainBranchDepth, onlyBranch, commitOnly,
        };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            if (!p.GetValue(noPrune)) r.EnsureWritable();
            DateTimeOffset? keep = null;
            // ostree reads the date after refusing --static-deltas-only without --delete-commit (ot-builtin-prune.c)
            bool refused = p.GetValue(staticDeltasOnly) && p.GetValue(deleteCommit) is null;
            if (p.GetValue(keepYoungerThan) is { } date && !refused)
            {
                if (!DateArgument.TryParse(date, DateTimeOffset.UtcNow, TimeZoneInfo.Local, out var parsed))
                    throw new RepoException($"Could not parse '{date}'");
                keep = parsed;
            }
            var terminal = TerminalProgress.ForCommand();
            var options = new PruneOptions
            {
                NoPrune = p.GetValue(noPrune),
                RefsOnly = p.GetValue(refsOnly),
                Depth = p.GetValue(depth),
                DeleteCommit = p.GetValue(deleteCommit),
                KeepYoungerThan = keep,
                StaticDeltasOnly = p.GetValue(staticDeltasOnly),
                RetainBranchDepth = ParseRetain(p.GetValue(retainBranchDepth) ?? []),
                OnlyBranches = p.GetValue(onlyBranch) ?? [],
                CommitOnly = p.GetValue(commitOnly),
                Progress = terminal?.Lines<PruneResult>(ProgressLines.Prune),
            };
            PruneResult result;
            try { result = Prune.Run(r, options); }
            finally { terminal?.Clear(); }
            var output = CommandContext.Get().Out;
            output.WriteLine(options.CommitOnly ? $"Total (commit only) objects: {result.ObjectsTotal}" : $"Total objects: {result.ObjectsTotal}");
            if (result.ObjectsPruned == 0) output.WriteLine("No unreachable objects");
            else if (options.NoPrune) output.WriteLine($"Would delete: {result.ObjectsPruned} objects, freeing {SizeFormat.Format(result.FreedBytes)}");
            else output.WriteLine($"Deleted {result.ObjectsPruned} objects, {SizeFormat.Format(result.FreedBytes)} freed");
            return ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary>BRANCH=DEPTH pairs; DEPTH is read like g_ascii_strtoll (leading sign and digits, rest ignored).</summary>
    internal static Dictionary<string, int> ParseRetain(IEnumerable<string> values)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            int eq = value.IndexOf('=');
            if (eq < 0) throw new RepoException($"Invalid value {value}, must specify BRANCH=DEPTH");
            var text = value[(eq + 1)..];
            var digits = text.TrimStart();
            int end = digits.Length > 0 && digits[0] is '+' or '-' ? 1 : 0;
            while (end < digits.Length && char.IsAsciiDigit(digits[end])) end++;
            if (end == 0 || !char.IsAsciiDigit(digits[end - 1])) throw new RepoException($"Invalid depth {text}");
            if (!int.TryParse(digits[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int depth))
                throw new RepoException($"Out of range depth {text}");
            result[value[..eq]] = depth;
        }
        return result;
    }
}
