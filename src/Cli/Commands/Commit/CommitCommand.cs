using System.CommandLine;
using System.Text;
using Arbor.Cli.Common;
using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Import;
using Arbor.Repo.GVariant;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands.Commit;

/// <summary><c>arbor commit [OPTION…] [PATH]</c>: ostree 2022.7's options and output (the commit checksum).</summary>
public static class CommitCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var parent = new Option<string?>("--parent") { Description = "Parent commit checksum, or \"none\"", HelpName = "COMMIT" };
        var subject = new Option<string?>("--subject", "-s") { Description = "One line subject", HelpName = "SUBJECT" };
        var body = new Option<string?>("--body", "-m") { Description = "Full description", HelpName = "BODY" };
        var bodyFile = new Option<string?>("--body-file", "-F") { Description = "Commit message from FILE path", HelpName = "FILE" };
        var branch = new Option<string?>("--branch", "-b") { Description = "Branch", HelpName = "BRANCH" };
        var orphan = new Option<bool>("--orphan") { Description = "Create a commit without writing a ref" };
        var noBindings = new Option<bool>("--no-bindings") { Description = "Do not write any ref bindings" };
        var bindRef = Multi("--bind-ref", "Add a ref to ref binding commit metadata", "BRANCH");
        var tree = Multi("--tree", "Overlay the given argument as a tree (dir=PATH, tar=TARFILE, ref=COMMIT, git=REPO:REV)", "dir=PATH or tar=TARFILE or ref=COMMIT");
        var addMetadataString = Multi("--add-metadata-string", "Add a key/value pair to metadata", "KEY=VALUE");
        var addMetadata = Multi("--add-metadata", "Add a key/value pair to metadata, where the KEY is a string, and VALUE is in GVariant Text Format", "KEY=VALUE");
        var keepMetadata = Multi("--keep-metadata", "Keep metadata KEY and its associated VALUE from parent", "KEY");
        var addDetached = Multi("--add-detached-metadata-string", "Add a key/value pair to detached metadata", "KEY=VALUE");
        var ownerUid = new Option<int>("--owner-uid") { Description = "Set file ownership user id", HelpName = "UID", DefaultValueFactory = _ => -1 };
        var ownerGid = new Option<int>("--owner-gid") { Description = "Set file ownership group id", HelpName = "GID", DefaultValueFactory = _ => -1 };
        var canonical = new Option<bool>("--canonical-permissions") { Description = "Canonicalize permissions in the same way bare-user does for hardlinked files" };
        var noXattrs = new Option<bool>("--no-xattrs") { Description = "Do not import extended attributes" };
        var linkSpeedup = new Option<bool>("--link-checkout-speedup") { Description = "Optimize for commits of trees composed of hardlinks into the repository" };
        var tarAutocreate = new Option<bool>("--tar-autocreate-parents") { Description = "When loading tar archives, automatically create parent directories as needed" };
        var skipIfUnchanged = new Option<bool>("--skip-if-unchanged") { Description = "If the contents are unchanged from previous commit, do nothing" };
        var consume = new Option<bool>("--consume") { Description = "Consume (delete) content after commit (for local directories)" };
        var fsync = new Option<string?>("--fsync") { Description = "Specify how to invoke fsync()", HelpName = "POLICY" };
        var disableFsync = new Option<bool>("--disable-fsync") { Description = "Do not invoke fsync()", Hidden = true };
        var editor = new Option<bool>("--editor", "-e") { Description = "Use an editor to write the commit message" };
        var baseRev = new Option<string?>("--base") { Description = "Start from the given commit as a base (no modifiers apply)", HelpName = "REV" };
        var bootable = new Option<bool>("--bootable") { Description = "Flag this commit as a bootable OSTree (e.g. contains a Linux kernel)" };
        var roExecutables = new Option<bool>("--mode-ro-executables") { Description = "Ensure executable files are not writable" };
        var selinuxPolicy = new Option<string?>("--selinux-policy") { Description = "Set SELinux labels based on policy in root filesystem PATH (may be /)", HelpName = "PATH" };
        var selinuxFromBase = new Option<bool>("--selinux-policy-from-base", "-P") { Description = "Set SELinux labels based on first --tree argument" };
        var devinoCanonical = new Option<bool>("--devino-canonical", "-I") { Description = "Assume hardlinked objects are unmodified.  Implies --link-checkout-speedup" };
        var tarFilter = new Option<string?>("--tar-pathname-filter") { Description = "When loading tar archives, use REGEX,REPLACEMENT against path names", HelpName = "REGEX,REPLACEMENT" };
        var statOverride = new Option<string?>("--statoverride") { Description = "File containing list of modifications to make to permissions", HelpName = "PATH" };
        var skipList = new Option<string?>("--skip-list") { Description = "File containing list of files to skip", HelpName = "PATH" };
        var tableOutput = new Option<bool>("--table-output") { Description = "Output more information in a KEY: VALUE format" };
        var gpgSign = Multi("--gpg-sign", "GPG Key ID to sign the commit with", "KEY-ID");
        var gpgHomedir = new Option<string?>("--gpg-homedir") { Description = "GPG Homedir to use when looking for keyrings", HelpName = "HOMEDIR" };
        var sign = Multi("--sign", "Sign the commit with", "KEY_ID");
        var signType = new Option<string?>("--sign-type") { Description = "Signature type to use (defaults to 'ed25519')", HelpName = "NAME" };
        var generateSizes = new Option<bool>("--generate-sizes") { Description = "Generate size information along with commit metadata" };
        // repeated, the last one counts (GOptionContext)
        var timestamp = Multi("--timestamp", "Override the timestamp of the commit", "TIMESTAMP");
        var verbose = GlobalOptions.Verbose();
        // ostree commits argv[1] and ignores any further argument
        var path = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore };

        var cmd = new Command("commit", "Commit a new revision")
        {
            repo, parent, subject, body, bodyFile, branch, orphan, noBindings, bindRef, tree, addMetadataString, addMetadata,
            keepMetadata, addDetached, ownerUid, ownerGid, canonical, noXattrs, linkSpeedup, tarAutocreate, skipIfUnchanged,
            consume, fsync, timestamp, verbose, path, disableFsync, editor, baseRev, bootable, roExecutables, selinuxPolicy,
            selinuxFromBase, devinoCanonical, tarFilter, statOverride, skipList, tableOutput, gpgSign, gpgHomedir, sign, signType,
            generateSizes,
        };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var pathnameFilter = p.GetValue(tarFilter) is { } filterSpec ? TarPathnameFilter.Parse(filterSpec) : null;
            var signKeys = p.GetValue(sign) ?? [];
            var signEngine = SignEngine.ByName(p.GetValue(signType) ?? SignTypes.Ed25519);
            foreach (var k in signKeys) signEngine.CheckSecretKey(k);
            var (subjectText, bodyText) = p.GetValue(editor)
                ? CommitEditor.Edit(p.GetValue(branch), p.GetValue(subject))
                : (p.GetValue(subject) ?? "", ReadBody(p.GetValue(body), p.GetValue(bodyFile)));
            var trees = p.GetValue(tree) ?? [];
            var positional = p.GetValue(path) is { Length: > 0 } paths ? paths[0] : null;
            var terminal = TerminalProgress.ForCommand();
            var request = new CommitRequest
            {
                Branch = p.GetValue(branch),
                Orphan = p.GetValue(orphan),
                Parent = p.GetValue(parent),
                Subject = subjectText,
                Body = bodyText,
                Timestamp = ParseTimestamp(p.GetValue(timestamp) is { Length: > 0 } stamps ? stamps[^1] : null),
                Trees = trees.Length > 0
                    ? trees.Select(TreeSpec.Parse).ToList()
                    : [new TreeSource(TreeSourceKind.Directory, positional ?? ".")],
                OwnerUid = p.GetValue(ownerUid) is >= 0 and var u ? (uint)u : null,
                OwnerGid = p.GetValue(ownerGid) is >= 0 and var g ? (uint)g : null,
                CanonicalPermissions = p.GetValue(canonical),
                NoXattrs = p.GetValue(noXattrs),
                MetadataStrings = KeyValues(p.GetValue(addMetadataString)),
                MetadataVariants = KeyValues(p.GetValue(addMetadata)).Select(ParseVariant).ToList(),
                KeepMetadata = p.GetValue(keepMetadata) ?? [],
                DetachedMetadataStrings = KeyValues(p.GetValue(addDetached)),
                NoBindings = p.GetValue(noBindings),
                BindRefs = p.GetValue(bindRef) ?? [],
                SkipIfUnchanged = p.GetValue(skipIfUnchanged),
                LinkCheckoutSpeedup = p.GetValue(linkSpeedup),
                TarAutocreateParents = p.GetValue(tarAutocreate),
                TarPathnameFilter = pathnameFilter,
                Consume = p.GetValue(consume),
                Fsync = p.GetValue(disableFsync) ? false : p.GetValue(fsync) is { } policy ? ParseBoolean(policy) : null,
                GenerateSizes = p.GetValue(generateSizes),
                DevInoCanonical = p.GetValue(devinoCanonical),
                Base = p.GetValue(baseRev),
                Bootable = p.GetValue(bootable),
                ReadOnlyExecutables = p.GetValue(roExecutables),
                SelinuxPolicy = p.GetValue(selinuxPolicy),
                SelinuxPolicyFromBase = p.GetValue(selinuxFromBase),
                StatOverrideFile = p.GetValue(statOverride),
                SkipListFile = p.GetValue(skipList),
                SignKeys = signKeys,
                SignEngine = signEngine,
                GpgKeyIds = p.GetValue(gpgSign) ?? [],
                GpgHomedir = p.GetValue(gpgHomedir),
                Diagnostics = terminal?.ClearingFirst(CommandContext.Get().Error) ?? CommandContext.Get().Error,
                Progress = terminal?.Lines<TransactionStats>(ProgressLines.Commit),
            };
            CommitResult result;
            try { result = CommitBuilder.Commit(r, request); }
            finally { terminal?.Clear(); }
            var o = CommandContext.Get().Out;
            if (p.GetValue(tableOutput)) WriteTable(o, result);
            else o.WriteLine(result.Commit.ToString());
            return 0;
        });
        return cmd;
    }

    /// <summary><c>--table-output</c>: ostree's KEY: VALUE lines.</summary>
    private static void WriteTable(TextWriter o, CommitResult result)
    {
        var st = result.Stats;
        o.WriteLine($"Commit: {result.Commit}");
        o.WriteLine($"Metadata Total: {st.MetadataTotal}");
        o.WriteLine($"Metadata Written: {st.MetadataWritten}");
        o.WriteLine($"Content Total: {st.ContentTotal}");
        o.WriteLine($"Content Written: {st.ContentWritten}");
        o.WriteLine($"Content Cache Hits: {result.DevInoHits}");
        o.WriteLine($"Content Bytes Written: {st.ContentBytesWritten}");
    }

    private static Option<string[]> Multi(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };

    private static string ReadBody(string? body, string? bodyFile)
    {
        if (bodyFile is null) return body ?? "";
        try
        {
            var bytes = File.ReadAllBytes(bodyFile);
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (FileNotFoundException) { throw new RepoException($"Opening {bodyFile}: No such file or directory"); }
        catch (DirectoryNotFoundException) { throw new RepoException($"Opening {bodyFile}: No such file or directory"); }
        catch (DecoderFallbackException) { throw new RepoException($"Invalid UTF-8 in {bodyFile}"); }
    }

    private static ulong? ParseTimestamp(string? text)
    {
        if (text is null) return null;
        if (!TimestampParser.TryParse(text, DateTimeOffset.UtcNow, TimeZoneInfo.Local, out var seconds))
            throw new RepoException($"Could not parse '{text}'");
        return unchecked((ulong)seconds);
    }

    /// <summary>ostree's ot_parse_boolean: 1/true/yes and 0/false/no/none.</summary>
    private static bool ParseBoolean(string value) => value.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" or "none" => false,
        _ => throw new RepoException($"Invalid boolean argument '{value}'"),
    };

    private static List<KeyValuePair<string, string>> KeyValues(string[]? items)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var s in items ?? [])
        {
            int eq = s.IndexOf('=');
            if (eq < 0) throw new RepoException($"Missing '=' in KEY=VALUE metadata '{s}'");
            list.Add(new(s[..eq], s[(eq + 1)..]));
        }
        return list;
    }

    private static KeyValuePair<string, GVariantValue> ParseVariant(KeyValuePair<string, string> kv)
    {
        try
        {
            return new(kv.Key, GVariantTextParser.Parse(kv.Value));
        }
        catch (FormatException e)
        {
            throw new RepoException($"Parsing {kv.Key}={kv.Value}: {e.Message}");
        }
    }
}
