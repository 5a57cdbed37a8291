using System.CommandLine;
using System.Text.Json;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Cli.Output.Json;
using Arbor.Repo.Core;
using Arbor.Repo.Read;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor ls COMMIT [PATH...] [-d] [-R] [-C] [-X] [--nul-filenames-only] [--json]</c>, as ot-builtin-ls.c.</summary>
public static class LsCommand
{
    public const int JsonSchemaVersion = 1;

    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var dironly = new Option<bool>("--dironly", "-d") { Description = "Do not recurse into directory arguments" };
        var recursive = new Option<bool>("--recursive", "-R") { Description = "Print directories recursively" };
        var checksum = new Option<bool>("--checksum", "-C") { Description = "Print checksum" };
        var xattrs = new Option<bool>("--xattrs", "-X") { Description = "Print extended attributes" };
        var nul = new Option<bool>("--nul-filenames-only") { Description = "Print only filenames, NUL separated" };
        var json = GlobalOptions.Json();
        var args = new Argument<string[]>("COMMIT [PATH...]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("ls", "List file paths") { repo, dironly, recursive, checksum, xattrs, nul, json, args };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var a = p.GetValue(args) ?? [];
            if (a.Length == 0) throw new RepoException("An COMMIT argument is required");
            var root = RepoPath.ForCommit(r, RevParser.Resolve(r, a[0]));
            root.EnsureResolved();
            var w = CommandContext.Get().Out;
            var entries = p.GetValue(json) ? new List<LsEntryJson>() : null;
            var o = new LsRenderer.Options(p.GetValue(checksum), p.GetValue(xattrs), p.GetValue(nul));
            void Print(RepoPath path, RepoPathInfo info)
            {
                if (entries is not null) entries.Add(LsRenderer.ToJson(path, info));
                else LsRenderer.Write(w, path, info, o);
            }
            int depth = p.GetValue(recursive) ? -1 : p.GetValue(dironly) ? 0 : 1;
            if (a.Length > 1)
            {
                foreach (var arg in a.Skip(1))
                {
                    try { PrintArgument(root, arg, depth, Print); }
                    catch (RepoException e) { throw new RepoException($"Inspecting path '{arg}': {e.Message}", e); }
                }
            }
            else PrintArgument(root, "/", depth, Print);
            if (entries is not null)
            {
                w.Write(JsonSerializer.Serialize(new LsJson(JsonSchemaVersion, entries), ArborJsonContext.Default.LsJson));
                w.Write('\n');
            }
            return 0;
        });
        return cmd;
    }

    /// <summary><c>print_one_argument</c>: the entry, then its children (depth 1), all descendants (-1) or nothing (0).</summary>
    private static void PrintArgument(RepoPath root, string arg, int depth, Action<RepoPath, RepoPathInfo> print)
    {
        var f = root.ResolveRelative(arg);
        var info = f.QueryInfo();
        print(f, info);
        if (info.Kind == TreeEntryKind.Directory && depth != 0) PrintDirectory(f, depth, print);
    }

    /// <summary><c>print_directory_recurse</c>.</summary>
    private static void PrintDirectory(RepoPath dir, int depth, Action<RepoPath, RepoPathInfo> print)
    {
        if (depth > 0) depth--;
        foreach (var child in dir.EnumerateChildren())
        {
            var info = child.QueryInfo();
            print(child, info);
            if (info.Kind == TreeEntryKind.Directory && depth != 0) PrintDirectory(child, depth, print);
        }
    }
}
