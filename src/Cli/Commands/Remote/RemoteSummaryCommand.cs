using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Repo.Pull;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Commands.Remote;

/// <summary>
/// <c>arbor remote summary [--raw] NAME</c>: the remote's summary, printed as <c>summary --view</c>,
/// then, when the remote has <c>gpg-verify-summary</c>, its GPG signatures (not with --raw).
/// </summary>
public static class RemoteSummaryCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var cacheDir = GlobalOptions.CacheDir();
        var raw = new Option<bool>("--raw") { Description = "Show raw variant data" };
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("summary", "Show remote summary") { repo, cacheDir, raw, name };
        cmd.SetAction(async (p, ct) =>
        {
            var o = CommandContext.Get().Out; // before any await: the context is per thread
            var n = p.GetValue(name) ?? throw new Arbor.Repo.Core.RepoException("NAME must be specified");
            var store = RemoteCommand.Open(p.GetValue(repo));
            SummaryCache.CheckCacheDir(p.GetValue(cacheDir));
            var result = await RemoteSummaryFetcher.FetchAsync(store.Repository, store, n, ct, p.GetValue(cacheDir));
            if (p.GetValue(raw))
            {
                // as ostree, no signatures with --raw
                SummaryTextRenderer.RenderRaw(o, result.Summary);
                return 0;
            }
            SummaryTextRenderer.Render(o, result.Summary);
            var remote = store.Get(n);
            if (remote.GpgVerifySummary && result.Signature is { } sig
                && SummarySignatures.Check(store, remote, result.Summary.Bytes, sig, DateTimeOffset.UtcNow) is { } sigs)
            {
                o.Write('\n');
                GpgSignaturesRenderer.Render(o, sigs, GpgSignaturesRenderer.VerificationLead);
            }
            return 0;
        });
        return cmd;
    }
}
