using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Progress;
using Arbor.Repo.Pull;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor pull [OPTION…] REMOTE [BRANCH…]</c> (or <c>REMOTE:BRANCH</c>): download commits from a remote.</summary>
public static class PullCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var cacheDir = GlobalOptions.CacheDir();
        var commitOnly = new Option<bool>("--commit-metadata-only") { Description = "Fetch only the commit metadata" };
        var disableFsync = new Option<bool>("--disable-fsync") { Description = "Do not invoke fsync()" };
        var perObjectFsync = new Option<bool>("--per-object-fsync") { Description = "Perform writes in such a way that avoids stalling concurrent processes" };
        var subpaths = new Option<string[]>("--subpath") { Description = "Only pull the provided subpath(s)", HelpName = "PATH" };
        var bareUserOnlyFiles = new Option<bool>("--bareuseronly-files") { Description = "Reject regular files with mode outside of 0775 (world writable, suid, etc.)" };
        var localCache = new Option<string[]>("--localcache-repo", "-L") { Description = "Add REPO as local cache source for objects during this pull", HelpName = "REPO" };
        var disableDeltas = new Option<bool>("--disable-static-deltas") { Description = "Do not use static deltas" };
        var requireDeltas = new Option<bool>("--require-static-deltas") { Description = "Require static deltas" };
        var mirror = new Option<bool>("--mirror") { Description = "Write refs suitable for a mirror and fetches all refs if none provided" };
        var untrusted = new Option<bool>("--untrusted") { Description = "Verify checksums of local sources (always enabled for HTTP pulls)" };
        var httpTrusted = new Option<bool>("--http-trusted") { Description = "Do not verify checksums of HTTP sources (mostly useful when mirroring)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print information on what will be downloaded (walks metadata, stores nothing; with --require-static-deltas, what the deltas hold)" };
        var depth = new Option<int>("--depth") { Description = "Traverse DEPTH parents (-1=infinite) (default: 0)", HelpName = "DEPTH" };
        var url = new Option<string?>("--url") { Description = "Pull objects from this URL instead of the one from the remote config", HelpName = "URL" };
        var headers = new Option<string[]>("--http-header") { Description = "Add NAME=VALUE as HTTP header to all requests", HelpName = "NAME=VALUE" };
        var retries = new Option<int>("--network-retries") { Description = "Specifies how many times each download should be retried upon error (default: 5)", HelpName = "N", DefaultValueFactory = _ => 5 };
        var frequency = new Option<int>("--update-frequency") { Description = "Sets the update frequency, in milliseconds (0=100ms) (default: 0)", HelpName = "FREQUENCY" };
        var noBindings = new Option<bool>("--disable-verify-bindings") { Description = "Do not verify commit bindings" };
        var timestampCheck = new Option<bool>("--timestamp-check", "-T") { Description = "Require fetched commits to have newer timestamps" };
        var timestampFrom = new Option<string?>("--timestamp-check-from-rev") { Description = "Require fetched commits to have newer timestamps than given rev", HelpName = "REV" };
        var concurrency = new Option<int>("--max-concurrency") { Description = "Requests in flight at once (default: 16)", HelpName = "N", DefaultValueFactory = _ => 16 };
        var stall = new Option<int>("--stall-timeout") { Description = "Seconds without data before a request is retried (default: 30)", HelpName = "SECONDS", DefaultValueFactory = _ => 30 };
        var jsonProgress = new Option<bool>("--json-progress") { Description = "Print progress as one JSON object per line" };
        var args = new Argument<string[]>("REMOTE [BRANCH...]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("pull", "Download data from remote repository")
        {
            repo, commitOnly, disableFsync, perObjectFsync, disableDeltas, requireDeltas, mirror, subpaths, untrusted, httpTrusted, bareUserOnlyFiles,
            dryRun, depth, url, headers, retries, frequency, localCache, cacheDir, noBindings, timestampCheck, timestampFrom, concurrency, stall, jsonProgress, GlobalOptions.Verbose(), args,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var a = p.GetValue(args) ?? [];
            if (a.Length < 1) throw new RepoException("REMOTE must be specified");
            string remote;
            string[] refs;
            if (a[0].Contains(':'))
            {
                var (r, name) = RefName.ParseRefspec(a[0]);
                remote = r!;
                refs = [name];
            }
            else
            {
                remote = a[0];
                refs = a[1..];
            }
            var header = new List<KeyValuePair<string, string>>();
            foreach (var h in p.GetValue(headers) ?? [])
            {
                int eq = h.IndexOf('=');
                if (eq < 0) throw new RepoException("Missing '=' in --http-header");
                header.Add(new(h[..eq], h[(eq + 1)..]));
            }
            var repository = RepoLocator.Open(p.GetValue(repo));
            repository.EnsureWritable();
            SummaryCache.CheckCacheDir(p.GetValue(cacheDir));
            if (p.GetValue(disableFsync)) repository.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "fsync", false);
            if (p.GetValue(perObjectFsync)) repository.PerObjectFsync = true;
            var options = new PullOptions
            {
                Refs = refs,
                Depth = p.GetValue(depth),
                CommitMetadataOnly = p.GetValue(commitOnly),
                Mirror = p.GetValue(mirror),
                DryRun = p.GetValue(dryRun),
                DisableStaticDeltas = p.GetValue(disableDeltas),
                RequireStaticDeltas = p.GetValue(requireDeltas),
                Untrusted = p.GetValue(untrusted),
                HttpTrusted = p.GetValue(httpTrusted),
                OverrideUrl = p.GetValue(url),
                HttpHeaders = header,
                Subpaths = p.GetValue(subpaths) ?? [],
                LocalCacheRepos = p.GetValue(localCache) ?? [],
                CacheDir = p.GetValue(cacheDir),
                BareUserOnlyFiles = p.GetValue(bareUserOnlyFiles),
                NetworkRetries = Math.Max(0, p.GetValue(retries)),
                DisableVerifyBindings = p.GetValue(noBindings),
                TimestampCheck = p.GetValue(timestampCheck),
                TimestampCheckFromRev = p.GetValue(timestampFrom),
                MaxConcurrentFetches = Math.Max(1, p.GetValue(concurrency)),
                StallTimeout = TimeSpan.FromSeconds(Math.Max(1, p.GetValue(stall))),
                ProgressInterval = TimeSpan.FromMilliseconds(p.GetValue(frequency) > 0 ? p.GetValue(frequency) : 100),
            };
            return await PullRunner.RunAsync(options, p.GetValue(jsonProgress),
                o => Puller.PullAsync(repository, RemoteStore.For(repository), remote, o, ct));
        });
        return cmd;
    }
}

/// <summary>Shared by pull and pull-local: progress (terminal line or JSON lines), then the final status line.</summary>
internal static class PullRunner
{
    public static async Task<int> RunAsync(PullOptions options, bool json, Func<PullOptions, Task<PullResult>> pull)
    {
        var ctx = CommandContext.Get();
        TerminalProgress? terminal = null;
        IProgress<ProgressEvent>? progress = null;
        if (json) progress = new JsonProgress(ctx.Out);
        else progress = terminal = TerminalProgress.ForCommand();
        PullResult result;
        try
        {
            result = await pull(options with { Progress = progress });
        }
        finally
        {
            terminal?.Clear();
        }
        if (!json) ctx.Out.WriteLine(options.DryRun ? PullStatus.FormatDryRun(result, options.RequireStaticDeltas) : PullStatus.Format(result));
        return 0;
    }
}
