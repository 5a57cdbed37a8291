using System.CommandLine;
using System.Text.Json;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Read;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor show OBJECT</c> and its options, as ot-builtin-show.c: a commit (by rev), or any object
/// by checksum (commit, dirmeta, dirtree, then file), raw variants, metadata keys, related
/// objects, size metadata; <c>--json</c> for commits.
/// </summary>
public static class ShowCommand
{
    public const int JsonSchemaVersion = 1;

    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var related = new Option<bool>("--print-related") { Description = "Show the \"related\" commits" };
        var variantType = new Option<string?>("--print-variant-type") { Description = "Memory map OBJECT (in this case a filename) to the GVariant type string", HelpName = "TYPE" };
        var metaKey = new Option<string?>("--print-metadata-key") { Description = "Print string value of metadata key", HelpName = "KEY" };
        var detachedKey = new Option<string?>("--print-detached-metadata-key") { Description = "Print string value of detached metadata key", HelpName = "KEY" };
        var sizes = new Option<bool>("--print-sizes") { Description = "Show the commit size metadata" };
        var raw = new Option<bool>("--raw") { Description = "Show raw variant data" };
        var noByteswap = new Option<bool>("--no-byteswap", "-B") { Description = "Do not automatically convert variant data from big endian" };
        var gpgHomedir = new Option<string?>("--gpg-homedir") { Description = "GPG Homedir to use when looking for keyrings", HelpName = "HOMEDIR" };
        var gpgRemote = new Option<string?>("--gpg-verify-remote") { Description = "Use REMOTE name for GPG configuration", HelpName = "REMOTE" };
        var json = GlobalOptions.Json();
        var obj = new Argument<string?>("OBJECT") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("show", "Output a metadata object")
            { repo, related, variantType, metaKey, detachedKey, sizes, raw, noByteswap, gpgHomedir, gpgRemote, json, obj };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var rev = p.GetValue(obj) ?? throw new RepoException("An object argument is required");
            var w = CommandContext.Get().Out;
            bool swap = !p.GetValue(noByteswap);
            if (p.GetValue(metaKey) is { } mk || p.GetValue(detachedKey) is not null)
            {
                bool detached = p.GetValue(metaKey) is null;
                var key = detached ? p.GetValue(detachedKey)! : p.GetValue(metaKey)!;
                PrintMetadataKey(w, r, RevParser.Resolve(r, rev), detached, key, swap);
            }
            else if (p.GetValue(related))
            {
                var c = r.LoadCommit(RevParser.Resolve(r, rev));
                foreach (var (name, checksum) in c.Related) w.Write($"{name} {checksum}\n");
            }
            else if (p.GetValue(variantType) is { } type)
            {
                var bytes = ReadFile(rev);
                CommitRenderer.WriteVariant(w, GVariantValue.Deserialize(bytes, GVariantType.Parse(type)));
            }
            else if (p.GetValue(sizes))
            {
                PrintSizes(w, r, RevParser.Resolve(r, rev));
            }
            else if (p.GetValue(json))
            {
                var checksum = RevParser.Resolve(r, rev);
                var c = r.LoadCommit(checksum);
                var dto = CommitRenderer.ToJson(checksum, c, r.LoadDetachedMetadata(checksum), JsonSchemaVersion);
                w.Write(JsonSerializer.Serialize(dto, ArborJsonContext.Default.CommitJson));
                w.Write('\n');
            }
            else
            {
                var flags = new DumpFlags(p.GetValue(raw), !swap, p.GetValue(gpgHomedir), p.GetValue(gpgRemote));
                if (!IsChecksum(rev)) PrintObject(w, r, ObjectType.Commit, RevParser.Resolve(r, rev), flags);
                else ShowByChecksum(w, r, Checksum.Parse(rev), flags);
            }
            return 0;
        });
        return cmd;
    }

    /// <summary><c>print_object</c>'s options: the dump flags, and where a commit's GPG signatures are checked.</summary>
    private readonly record struct DumpFlags(bool Raw, bool Unswapped, string? GpgHomedir, string? GpgVerifyRemote);

    private static bool IsChecksum(string s) => s.Length == Checksum.HexLength && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static byte[] ReadFile(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new RepoException($"openat({path}): No such file or directory"); }
        catch (DirectoryNotFoundException) { throw new RepoException($"openat({path}): No such file or directory"); }
    }

    /// <summary><c>print_object</c> / <c>ot_dump_object</c>.</summary>
    private static void PrintObject(TextWriter w, Repository r, ObjectType type, Checksum checksum, DumpFlags flags)
    {
        var bytes = r.LoadMetadata(new ObjectName(checksum, type));
        CommitRenderer.WriteObjectLine(w, type.DisplayName(), checksum);
        var format = type switch
        {
            ObjectType.Commit => ObjectFormats.Commit,
            ObjectType.DirTree => ObjectFormats.DirTree,
            _ => ObjectFormats.DirMeta,
        };
        bool rawOnly = false;
        if (flags.Unswapped) CommitRenderer.WriteVariant(w, GVariantValue.Deserialize(bytes, format), byteswap: false);
        else if (flags.Raw)
        {
            CommitRenderer.WriteVariant(w, GVariantValue.Deserialize(bytes, format));
            rawOnly = true;
        }
        if (type == ObjectType.Commit && !rawOnly) CommitRenderer.WriteCommit(w, CommitObject.Parse(bytes));
        if (type == ObjectType.Commit) PrintGpgSignatures(w, r, checksum, flags);
    }

    /// <summary>The "Found N signatures:" block; nothing for a commit without GPG signatures.</summary>
    private static void PrintGpgSignatures(TextWriter w, Repository r, Checksum commit, DumpFlags flags)
    {
        var sigs = StoredCommitSignatures.Check(r, RemoteStore.For(r), commit, flags.GpgVerifyRemote, flags.GpgHomedir, DateTimeOffset.UtcNow);
        if (sigs is not null) GpgSignaturesRenderer.Render(w, sigs);
    }

    private static void ShowByChecksum(TextWriter w, Repository r, Checksum checksum, DumpFlags flags)
    {
        foreach (var type in new[] { ObjectType.Commit, ObjectType.DirMeta, ObjectType.DirTree })
        {
            if (!r.HasObject(checksum, type)) continue;
            PrintObject(w, r, type, checksum, flags);
            return;
        }
        var content = r.LoadContent(checksum);
        var h = content.Header;
        var sb = new System.Text.StringBuilder();
        sb.Append($"Object: {checksum}\nType: file\nFile Type: ");
        if (h.IsSymlink) sb.Append($"symlink\nTarget: {h.SymlinkTarget}\n");
        else sb.Append($"regular\nSize: {content.Size}\n");
        sb.Append("Mode: 0").Append(Convert.ToString(h.Mode, 8).PadLeft(4, '0')).Append('\n');
        sb.Append($"Uid: {h.Uid}\nGid: {h.Gid}\n");
        sb.Append("Extended Attributes: { ").Append(GVariantPrinter.Print(XattrValue.ToValue(h.Xattrs), true)).Append(" }\n");
        w.Write(sb.ToString());
    }

    private static void PrintMetadataKey(TextWriter w, Repository r, Checksum commit, bool detached, string key, bool swap)
    {
        VariantDictionary metadata;
        if (!detached) metadata = r.LoadCommit(commit).Metadata;
        else metadata = r.LoadDetachedMetadata(commit) ?? throw new RepoException($"No detached metadata for commit {commit}");
        var value = metadata[key] ?? throw new RepoException($"No such metadata key '{key}'");
        CommitRenderer.WriteVariant(w, value, byteswap: swap);
    }

    private static void PrintSizes(TextWriter w, Repository r, Checksum commit)
    {
        CommitObject c;
        try { c = r.LoadCommit(commit); }
        catch (RepoException e) { throw new RepoException($"Failed to read commit: {e.Message}", e); }
        var entries = CommitSizes.Read(c);
        ulong newArchived = 0, newUnpacked = 0, archived = 0, unpacked = 0;
        int newObjects = 0, objects = 0;
        foreach (var e in entries)
        {
            archived += e.Archived;
            unpacked += e.Unpacked;
            objects++;
            if (!r.HasObject(e.Checksum, e.Type))
            {
                newArchived += e.Archived;
                newUnpacked += e.Unpacked;
                newObjects++;
            }
        }
        w.Write($"Compressed size (needed/total): {SizeFormat.Format(newArchived)}/{SizeFormat.Format(archived)}\n" +
                $"Unpacked size (needed/total): {SizeFormat.Format(newUnpacked)}/{SizeFormat.Format(unpacked)}\n" +
                $"Number of objects (needed/total): {newObjects}/{objects}\n");
    }
}
