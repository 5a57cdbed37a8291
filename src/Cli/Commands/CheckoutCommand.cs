using System.CommandLine;
using System.Text;
using Arbor.Cli.Common;
using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Labels;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor checkout [OPTIONS] COMMIT [DESTINATION]</c>: check out a commit into a filesystem tree (ot-builtin-checkout.c).</summary>
public static class CheckoutCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var userMode = new Option<bool>("--user-mode", "-U") { Description = "Do not change file ownership or initialize extended attributes" };
        var disableCache = new Option<bool>("--disable-cache") { Description = "Do not update or use the internal repository uncompressed object cache" };
        var subpath = new Option<string?>("--subpath") { Description = "Checkout sub-directory PATH", HelpName = "PATH" };
        var union = new Option<bool>("--union") { Description = "Keep existing directories, overwrite existing files" };
        var unionAdd = new Option<bool>("--union-add") { Description = "Keep existing files/directories, only add new" };
        var unionIdentical = new Option<bool>("--union-identical") { Description = "When layering checkouts, error out if a file would be replaced with a different version, but add new files and directories" };
        var whiteouts = new Option<bool>("--whiteouts") { Description = "Process 'whiteout' (Docker style) entries" };
        var passthrough = new Option<bool>("--process-passthrough-whiteouts") { Description = "Enable overlayfs whiteout extraction into char 0:0 devices" };
        var allowNoent = new Option<bool>("--allow-noent") { Description = "Do nothing if specified path does not exist" };
        var fromStdin = new Option<bool>("--from-stdin") { Description = "Process many checkouts from standard input" };
        var fromFile = new Option<string?>("--from-file") { Description = "Process many checkouts from input file", HelpName = "FILE" };
        var fsync = new Option<string?>("--fsync") { Description = "Specify how to invoke fsync()", HelpName = "POLICY" };
        var requireHardlinks = new Option<bool>("--require-hardlinks", "-H") { Description = "Do not fall back to full copies if hardlinking fails" };
        var forceCopyZerosized = new Option<bool>("--force-copy-zerosized", "-z") { Description = "Do not hardlink zero-sized files", Hidden = true };
        var forceCopy = new Option<bool>("--force-copy", "-C") { Description = "Never hardlink (but may reflink if available)" };
        var bareUserOnlyDirs = new Option<bool>("--bareuseronly-dirs", "-M") { Description = "Suppress mode bits outside of 0775 for directories (suid, world writable, etc.)" };
        var skipList = new Option<string?>("--skip-list") { Description = "File containing list of files to skip", HelpName = "FILE" };
        var selinuxPolicy = new Option<string?>("--selinux-policy") { Description = "Set SELinux labels based on policy in root filesystem PATH (may be /); implies --force-copy", HelpName = "PATH" };
        var selinuxPrefix = new Option<string?>("--selinux-prefix") { Description = "When setting SELinux labels, prefix all paths by PREFIX", HelpName = "PREFIX" };
        var args = new Argument<string[]>("COMMIT [DESTINATION]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("checkout", "Check out a commit into a filesystem tree")
        {
            repo, userMode, disableCache, subpath, union, unionAdd, unionIdentical, whiteouts, passthrough, allowNoent,
            fromStdin, fromFile, fsync, requireHardlinks, forceCopyZerosized, forceCopy, bareUserOnlyDirs, skipList, selinuxPolicy, selinuxPrefix, args,
        };
        cmd.SetAction(p =>
        {
            // --fsync is parsed with the options, before anything else (its value does not matter:
            // ostree's checkout never fsyncs)
            if (p.GetValue(fsync) is { } policy) ParseBoolean(policy);
            var r = RepoLocator.Open(p.GetValue(repo));
            var positional = p.GetValue(args) ?? [];
            if (positional.Length < 1) throw new RepoException("COMMIT must be specified");

            var flags = new Flags(
                p.GetValue(userMode), p.GetValue(union), p.GetValue(unionAdd), p.GetValue(unionIdentical),
                p.GetValue(requireHardlinks), p.GetValue(forceCopy), p.GetValue(whiteouts), p.GetValue(passthrough),
                p.GetValue(bareUserOnlyDirs), p.GetValue(allowNoent), p.GetValue(skipList),
                p.GetValue(selinuxPolicy), p.GetValue(selinuxPrefix),
                // these only choose ostree's code path (ostree_repo_checkout_at: no uncompressed cache, --allow-noent ignored)
                p.GetValue(disableCache) || p.GetValue(forceCopyZerosized));
            var terminal = TerminalProgress.ForCommand();
            var progress = terminal?.Lines<CheckoutProgress>(ProgressLines.Checkout);
            try
            {
                if (p.GetValue(fromStdin) || p.GetValue(fromFile) is not null)
                {
                    using var input = p.GetValue(fromStdin) ? Console.OpenStandardInput() : OpenFile(p.GetValue(fromFile)!);
                    foreach (var (rev, path) in ReadPairs(input))
                    {
                        var resolved = RevParser.Resolve(r, rev);
                        try
                        {
                            CheckoutOne(r, resolved, path, positional[0], flags, progress);
                        }
                        catch (ArborException e)
                        {
                            throw new RepoException($"Processing tree {resolved}: {e.Message}", e);
                        }
                    }
                    return 0;
                }
                var commit = RevParser.Resolve(r, positional[0]);
                CheckoutOne(r, commit, p.GetValue(subpath), positional.Length > 1 ? positional[1] : positional[0], flags, progress);
                return 0;
            }
            finally
            {
                terminal?.Clear();
            }
        });
        return cmd;
    }

    private sealed record Flags(
        bool User, bool Union, bool UnionAdd, bool UnionIdentical, bool RequireHardlinks, bool ForceCopy,
        bool DockerWhiteouts, bool PassthroughWhiteouts, bool BareUserOnlyDirs, bool AllowNoent, string? SkipList,
        string? SelinuxPolicy, string? SelinuxPrefix, bool OtherAdvanced)
    {
        /// <summary>The options that send ostree through <c>ostree_repo_checkout_at</c>, where
        /// conflicting flags are checked and <c>--allow-noent</c> is ignored.</summary>
        public bool Advanced => OtherAdvanced || DockerWhiteouts || RequireHardlinks || UnionAdd || ForceCopy
            || BareUserOnlyDirs || UnionIdentical || SkipList is not null || PassthroughWhiteouts
            || SelinuxPolicy is not null || SelinuxPrefix is not null;

        /// <summary>--selinux-policy implies --force-copy (before the conflicting flags are checked, as in ostree).</summary>
        public bool CopyAll => ForceCopy || SelinuxPolicy is not null;
    }

    private static void CheckoutOne(Repository repo, Checksum commit, string? subpath, string destination, Flags f, IProgress<CheckoutProgress>? progress)
    {
        if (f.Advanced)
        {
            if (f.Union && f.UnionAdd) throw new RepoException("Cannot specify both --union and --union-add");
            if (f.Union && f.UnionIdentical) throw new RepoException("Cannot specify both --union and --union-identical");
            if (f.UnionAdd && f.UnionIdentical) throw new RepoException("Cannot specify both --union-add and --union-identical");
            if (f.RequireHardlinks && f.CopyAll) throw new RepoException("Cannot specify both --require-hardlinks and --force-copy");
            if (f.SelinuxPrefix is not null && f.SelinuxPolicy is null)
                throw new RepoException("Cannot specify --selinux-prefix without --selinux-policy");
            if (!f.Union && !f.UnionAdd && f.UnionIdentical && !f.RequireHardlinks)
                throw new RepoException("--union-identical requires --require-hardlinks");
        }
        // a root that cannot be opened gets ostree's doubled prefix ("selinux-policy: " + ": ")
        using var policy = f.SelinuxPolicy is null ? null : SePolicy.Open(f.SelinuxPolicy, "selinux-policy: : ");
        var options = new CheckoutOptions
        {
            Mode = f.User ? CheckoutMode.User : CheckoutMode.None,
            Overwrite = f.Union ? CheckoutOverwriteMode.UnionFiles
                : f.UnionAdd && f.Advanced ? CheckoutOverwriteMode.AddFiles
                : f.UnionIdentical && f.Advanced ? CheckoutOverwriteMode.UnionIdentical
                : CheckoutOverwriteMode.None,
            RequireHardlinks = f.RequireHardlinks,
            ForceCopy = f.CopyAll,
            SePolicy = policy,
            SePolicyPrefix = f.SelinuxPrefix,
            Subpath = subpath,
            ProcessDockerWhiteouts = f.DockerWhiteouts,
            ProcessWhiteouts = f.PassthroughWhiteouts,
            BareUserOnlyDirs = f.BareUserOnlyDirs,
            Skip = f.SkipList is null ? null : LoadSkipList(f.SkipList),
            // ostree_repo_checkout_tree, which the command uses without the advanced options, enables the cache
            UncompressedCache = !f.Advanced,
            Progress = progress,
        };
        try
        {
            TreeCheckout.Run(repo, commit, destination, options);
        }
        catch (CheckoutPathNotFoundException) when (f.AllowNoent && !f.Advanced)
        {
            // --allow-noent: a subpath that is not in the commit is not an error
        }
    }

    /// <summary>ot_parse_boolean: 1/true/yes and 0/false/no/none, any case.</summary>
    private static bool ParseBoolean(string value) => value.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" or "none" => false,
        _ => throw new RepoException($"Invalid boolean argument '{value}'"),
    };

    private static Func<string, bool> LoadSkipList(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"Opening {path}: {e.Message}", e);
        }
        var set = new HashSet<string>(lines, StringComparer.Ordinal);
        return set.Contains;
    }

    private static FileStream OpenFile(string path)
    {
        try { return File.OpenRead(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"Opening {path}: {e.Message}", e);
        }
    }

    /// <summary>--from-file/--from-stdin records: REVISION NUL SUBPATH NUL, until an empty revision or the end.</summary>
    private static IEnumerable<(string Rev, string Subpath)> ReadPairs(Stream input)
    {
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        var data = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        int pos = 0;
        while (pos < data.Length)
        {
            var rev = NextField(data.Span, ref pos);
            if (rev.Length == 0) yield break;
            var sub = NextField(data.Span, ref pos);
            yield return (rev, sub);
        }
    }

    private static string NextField(ReadOnlySpan<byte> data, ref int pos)
    {
        var rest = data[pos..];
        int nul = rest.IndexOf((byte)0);
        var field = nul < 0 ? rest : rest[..nul];
        pos += field.Length + (nul < 0 ? 0 : 1);
        return Encoding.UTF8.GetString(field);
    }
}
