using System.CommandLine;
using System.Text.Json;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Cli.Output.Json;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Read;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor log REV [--raw] [--json]</c>: a commit and its parents, newest first, as <c>ostree log</c>.</summary>
public static class LogCommand
{
    public const int JsonSchemaVersion = 1;

    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var raw = new Option<bool>("--raw") { Description = "Show raw variant data" };
        var json = GlobalOptions.Json();
        var rev = new Argument<string?>("REV") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("log", "Show log starting at commit or ref") { repo, raw, json, rev };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var spec = p.GetValue(rev) ?? throw new Repo.Core.RepoException("A rev argument is required");
            var start = RevParser.Resolve(r, spec);
            var w = CommandContext.Get().Out;
            if (p.GetValue(json))
            {
                var commits = new List<CommitJson>();
                string? missing = null;
                foreach (var e in CommitHistory.Walk(r, start))
                {
                    if (e.IsMissing) missing = e.Checksum.ToString();
                    else commits.Add(CommitRenderer.ToJson(e.Checksum, e.Commit!, null, null));
                }
                w.Write(JsonSerializer.Serialize(new LogJson(JsonSchemaVersion, commits, missing is null, missing), ArborJsonContext.Default.LogJson));
                w.Write('\n');
                return 0;
            }
            foreach (var e in CommitHistory.Walk(r, start))
            {
                if (e.IsMissing)
                {
                    w.Write("<< History beyond this commit not fetched >>\n");
                    break;
                }
                CommitRenderer.WriteObjectLine(w, "commit", e.Checksum);
                if (p.GetValue(raw)) CommitRenderer.WriteVariant(w, GVariantValue.Deserialize(e.Bytes, ObjectFormats.Commit));
                else CommitRenderer.WriteCommit(w, e.Commit!);
            }
            return 0;
        });
        return cmd;
    }
}
