using System.CommandLine;
using System.Globalization;
using Arbor.Cli.Common;
using Arbor.Repo.Store;
using Arbor.Repo.Core;
using Arbor.Repo.Finders;
using Arbor.Repo.Finders.Lan;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;

namespace Arbor.Cli.Commands.Usb;

/// <summary>
/// <c>arbor find-remotes [--finders=config,mount,lan] COLLECTION-ID REF [COLLECTION-ID REF...]</c>: find the
/// remotes (configured ones, peers on the local network, repositories on mounted file systems) serving the newest commits of the refs,
/// printed as ostree 2022.7 prints them; with <c>--pull</c> (and <c>--mirror</c>), pull the refs from them
/// (<see cref="RemotesPuller"/>).
/// </summary>
public static class FindRemotesCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Use custom cache dir" };
        var disableFsync = new Option<bool>("--disable-fsync") { Description = "Do not invoke fsync()" };
        var finders = new Option<string?>("--finders") { Description = "Use the specified comma separated list of finders (e.g. config,lan,mount)", HelpName = "FINDERS" };
        var pull = new Option<bool>("--pull") { Description = "Pull the updates after finding them" };
        var mirror = new Option<bool>("--mirror") { Description = "Do a mirror pull (see ostree pull --mirror)" };
        var verbose = GlobalOptions.Verbose();
        var args = new Argument<string[]>("COLLECTION-ID REF [COLLECTION-ID REF...]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("find-remotes", "Find remotes to serve the given refs")
        {
            repo, cacheDir, disableFsync, finders, pull, mirror, verbose, args,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var repository = RepoLocator.Open(p.GetValue(repo));
            repository.EnsureWritable();
            var refs = CollectionRefArguments.Pair(p.GetValue(args) ?? []);
            if (p.GetValue(mirror) && !p.GetValue(pull)) throw new RepoException("When --mirror is specified, --pull must also be");
            if (p.GetValue(cacheDir) is { } dir && !Directory.Exists(dir)) throw new RepoException($"opendir({dir}): No such file or directory");
            CollectionRefArguments.Validate(refs);
            var option = p.GetValue(finders);
            var use = option is null ? DefaultFinders(repository) : ParseFinders(option);
            using var lan = use.Contains("lan") ? await StartLanAsync(explicitly: option is not null, alone: use.Count == 1, ct).ConfigureAwait(false) : null;

            var remotes = RemoteStore.For(repository);
            var found = new List<FinderResult>();
            foreach (var finder in use)
            {
                if (finder == "config") found.AddRange(await ConfigFinder.ResolveAsync(remotes, refs, ct).ConfigureAwait(false));
                else if (finder == "mount") found.AddRange(MountFinder.Resolve(remotes, refs, UserMounts.List()));
                else if (lan is not null) found.AddRange(await ResolveLanAsync(lan, remotes, refs, ct).ConfigureAwait(false));
            }
            var results = found.Count == 0 ? [] : await RemoteFinder.FindAsync(remotes, refs, found, ct).ConfigureAwait(false);
            var o = CommandContext.Get().Out;
            Print(o, refs, results);
            if (results.Count == 0 || !p.GetValue(pull)) return 0;

            if (p.GetValue(disableFsync)) repository.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "fsync", false);
            await PullAsync(remotes, results, p.GetValue(mirror), p.GetValue(verbose), ct).ConfigureAwait(false);
            // ostree counts every requested ref, found or not: the pull fails if one it found could not be pulled
            o.Write($"Pulled {refs.Count}/{refs.Count} refs successfully.\n");
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// The pull: progress on a terminal (cleared afterwards; ostree prints none otherwise), and with
    /// --verbose each remote that failed, as ostree's debug messages name it.
    /// </summary>
    private static async Task PullAsync(RemoteStore remotes, IReadOnlyList<FinderResult> results, bool mirror, bool verbose, CancellationToken ct)
    {
        var ctx = CommandContext.Get();
        var terminal = ctx.IsTerminal ? new TerminalProgress(ctx.Out) : null;
        var options = new RemotesPuller.Options
        {
            Mirror = mirror,
            Progress = terminal,
            Failed = verbose ? (remote, e) => ctx.Error.Write($"OT: Failed to pull refs from ‘{remote}’: {e.Message}\n") : null,
        };
        try
        {
            await RemotesPuller.PullAsync(remotes, results, options, ct).ConfigureAwait(false);
        }
        finally
        {
            terminal?.Clear();
        }
    }

    /// <summary>--finders: config, lan and mount, each at most once, in the order given.</summary>
    private static List<string> ParseFinders(string option)
    {
        var names = option.Length == 0 ? [] : option.Split(',');
        if (names.Length == 0) throw new RepoException("List of finders in --finders option must not be empty");
        var used = new List<string>();
        foreach (var name in names)
        {
            if (!RepoConfig.RepoFinderNames.Contains(name) || used.Contains(name))
                throw new RepoException($"Unknown or duplicate finder type given in --finders option: ‘{name}’");
            used.Add(name);
        }
        return used;
    }

    /// <summary>Without --finders: <c>core.default-repo-finders</c> (default config and mount), run as config, mount, lan.</summary>
    private static List<string> DefaultFinders(Repository repository)
    {
        var configured = repository.Config.DefaultRepoFinders;
        return new[] { "config", "mount", "lan" }.Where(configured.Contains).ToList();
    }

    /// <summary>
    /// Starts browsing for LAN peers, or drops the LAN finder as ostree does: with a warning when it
    /// was asked for (or, as a default finder, failed for another reason than a missing
    /// avahi-daemon); alone, that is an error (ostree 2022.7 hangs).
    /// </summary>
    private static async Task<AvahiBrowser?> StartLanAsync(bool explicitly, bool alone, CancellationToken ct)
    {
        try
        {
            return await AvahiBrowser.StartAsync(LanFinder.ServiceType, ct).ConfigureAwait(false);
        }
        catch (AvahiException e)
        {
            if (alone) throw new RepoException($"Avahi finder failed and no other finder is left: {e.Message}");
            if (explicitly) CommandContext.Get().Error.Write($"warning: Avahi finder failed; removing it: {e.Message}\n");
            else if (!e.DaemonNotRunning) CommandContext.Get().Error.Write($"warning: Avahi finder failed abnormally; removing it: {e.Message}\n");
            return null;
        }
    }

    /// <summary>The LAN peers' results; a browse that fails gives none (ostree logs that at debug level only).</summary>
    private static async Task<List<FinderResult>> ResolveLanAsync(AvahiBrowser lan, RemoteStore remotes, IReadOnlyList<CollectionRef> refs, CancellationToken ct)
    {
        var error = CommandContext.Get().Error;
        List<AvahiService> services;
        try { services = await lan.CollectAsync(w => error.Write($"warning: {w}\n"), ct).ConfigureAwait(false); }
        catch (AvahiException) { return []; }
        return await LanFinder.ResolveAsync(remotes, refs, services, ct).ConfigureAwait(false);
    }

    private static void Print(TextWriter o, IReadOnlyList<CollectionRef> refs, IReadOnlyList<FinderResult> results)
    {
        var foundRefs = new HashSet<CollectionRef>();
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var lastModified = r.SummaryLastModified > 0 ? Iso8601(r.SummaryLastModified) : "unknown";
            o.Write($"Result {i}: {r.Url}\n - Finder: {r.Finder}\n - Keyring: {r.Keyring}\n - Priority: {r.Priority}\n");
            o.Write($" - Summary last modified: {lastModified}\n - Refs:\n");
            foreach (var (cref, checksum) in r.RefToChecksum.Entries)
            {
                o.Write($"    - ({cref.CollectionId}, {cref.RefName}) = {checksum ?? "(not found)"}\n");
                if (checksum is not null) foundRefs.Add(cref);
            }
            o.Write("\n");
        }
        if (results.Count == 0)
        {
            o.Write("No results.\n");
            return;
        }
        o.Write($"{foundRefs.Count}/{refs.Count} refs were found.\n");
        if (foundRefs.Count == refs.Count) return;
        o.Write("Refs not found in any remote:\n");
        foreach (var cref in refs)
            if (!foundRefs.Contains(cref)) o.Write($" - ({cref.CollectionId}, {cref.RefName})\n");
    }

    /// <summary>uint64_secs_to_iso8601 of find-remotes: UTC, <c>%FT%TZ</c>, or "invalid".</summary>
    private static string Iso8601(ulong seconds) =>
        seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "invalid";
}
