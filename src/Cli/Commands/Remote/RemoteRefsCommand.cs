using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Pull;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote refs NAME</c>: "NAME:REF" for each ref in the remote's summary.</summary>
public static class RemoteRefsCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var cacheDir = GlobalOptions.CacheDir();
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("refs", "List remote refs") { repo, cacheDir, name };
        cmd.SetAction(async (p, ct) =>
        {
            var o = CommandContext.Get().Out; // before any await: the context is per thread
            var n = p.GetValue(name) ?? throw new Arbor.Repo.Core.RepoException("NAME must be specified");
            var store = RemoteCommand.Open(p.GetValue(repo));
            SummaryCache.CheckCacheDir(p.GetValue(cacheDir));
            var result = await RemoteSummaryFetcher.FetchAsync(store.Repository, store, n, ct, p.GetValue(cacheDir));
            foreach (var r in result.Summary.Refs.Select(r => r.Name).Order(StringComparer.Ordinal)) o.WriteLine($"{n}:{r}");
            foreach (var (collection, refs) in result.Summary.CollectionMap)
                foreach (var r in refs.Select(r => r.Name).Order(StringComparer.Ordinal)) o.WriteLine($"({collection}, {r})");
            return 0;
        });
        return cmd;
    }
}
