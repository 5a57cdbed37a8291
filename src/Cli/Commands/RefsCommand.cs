using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Repo.Core;
using Arbor.Repo.GLib;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor refs [PREFIX...] [--list] [--delete] [--create=NEWREF [--alias] [--force]] [--collections] [--json]</c>:
/// lists refs in the order ostree prints them (its hash-table order), or edits them as ot-builtin-refs.c does.
/// </summary>
public static class RefsCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var delete = new Option<bool>("--delete") { Description = "Delete refs which match PREFIX, rather than listing them" };
        var list = new Option<bool>("--list") { Description = "Do not remove the prefix from the refs" };
        var alias = new Option<bool>("--alias", "-A") { Description = "If used with --create, create an alias, otherwise just list aliases" };
        var create = new Option<string?>("--create") { Description = "Create a new ref for an existing commit", HelpName = "NEWREF" };
        var collections = new Option<bool>("--collections", "-c") { Description = "Enable listing collection IDs for refs" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing refs when creating" };
        var json = GlobalOptions.Json();
        var prefixes = new Argument<string[]>("PREFIX") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("refs", "List refs") { repo, delete, list, alias, create, collections, force, json, prefixes };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var o = new RefsOptions(p.GetValue(delete), p.GetValue(list), p.GetValue(alias), p.GetValue(create),
                p.GetValue(collections), p.GetValue(force), p.GetValue(json));
            var args = p.GetValue(prefixes) ?? [];
            var output = new List<RefsRenderer.Line>();
            if (args.Length > 0)
            {
                if (o.Create is not null && args.Length > 1)
                    throw new RepoException("You must specify only 1 existing ref when creating a new ref");
                foreach (var a in args) DoRef(r, a, o, output);
            }
            else
            {
                if (o.Delete) throw new RepoException("At least one PREFIX is required when deleting refs");
                if (o.Create is not null) throw new RepoException("You must specify a revision when creating a new ref");
                DoRef(r, null, o, output);
            }
            var w = CommandContext.Get().Out;
            if (o.Json) RefsRenderer.RenderJson(w, output);
            return 0;
        });
        return cmd;
    }

    private sealed record RefsOptions(bool Delete, bool List, bool Alias, string? Create, bool Collections, bool Force, bool Json);

    /// <summary><c>do_ref</c>: one PREFIX (or none).</summary>
    private static void DoRef(Repository repo, string? prefix, RefsOptions o, List<RefsRenderer.Line> lines)
    {
        var w = CommandContext.Get().Out;
        if (o.Collections)
        {
            DoCollections(repo, prefix, o, lines);
            return;
        }

        GStrHashTable<string>? aliases = null;
        if (o.Alias || o.Delete)
            aliases = new RefListing(repo) { KeepPrefix = true, AliasesOnly = true }.List(null);

        bool isList = !(o.Delete || o.Create is not null);
        GStrHashTable<string> refs;
        if (o.Delete || o.List || (o.Create is null && o.Alias))
            refs = new RefListing(repo) { KeepPrefix = true, AliasesOnly = o.Alias }.List(prefix);
        else if (o.Create is not null)
            refs = new RefListing(repo) { KeepPrefix = true }.List(null);
        else
            refs = new RefListing(repo).List(prefix);

        if (isList)
        {
            foreach (var (name, value) in refs.Entries)
            {
                var line = o.Alias ? new RefsRenderer.Line(name, null, value) : new RefsRenderer.Line(name, value, null);
                lines.Add(line);
                if (!o.Json) RefsRenderer.RenderText(w, line);
            }
            return;
        }

        if (o.Create is { } newRef)
        {
            Checksum? existing;
            try { existing = RevParser.TryResolveLocal(repo, newRef); }
            catch (RefIsDirectoryException) { existing = null; }
            bool replacingAlias = o.Alias && aliases!.ContainsKey(newRef);
            if (!replacingAlias && !o.Force && existing is not null)
                throw new RepoException($"--create specified but ref {newRef} already exists");
            var (remote, name) = Refspec.Parse(newRef);
            if (o.Alias)
            {
                if (remote is not null) throw new RepoException($"Cannot create alias to remote ref: {remote}");
                if (!refs.ContainsKey(prefix!)) throw new RepoException($"Cannot create alias to non-existent ref: {prefix}");
                RefWriter.SetAlias(repo, name, prefix!);
            }
            else
            {
                var checksum = RevParser.Resolve(repo, prefix!);
                RefWriter.Set(repo, remote, name, checksum);
            }
            return;
        }

        // delete
        foreach (var key in refs.Keys)
        {
            var (remote, name) = Refspec.Parse(key);
            foreach (var (aliasName, target) in aliases!.Entries)
                if (name == target) throw new RepoException($"Ref '{name}' has an active alias: '{aliasName}'");
            RefWriter.Set(repo, remote, name, null);
        }
    }

    /// <summary><c>do_ref_with_collections</c>: refs as (collection ID, ref) pairs.</summary>
    private static void DoCollections(Repository repo, string? prefix, RefsOptions o, List<RefsRenderer.Line> lines)
    {
        var w = CommandContext.Get().Out;
        var refs = CollectionRefListing.List(repo, o.Create is null ? prefix : null);
        if (!o.Delete && o.Create is null)
        {
            foreach (var (key, value) in refs.Entries)
            {
                var line = new RefsRenderer.Line(key.RefName, value, null, key.CollectionId);
                lines.Add(line);
                if (!o.Json) RefsRenderer.RenderText(w, line);
            }
            return;
        }
        if (o.Create is { } newRef)
        {
            Checksum? existing;
            try { existing = RevParser.TryResolveLocal(repo, newRef); }
            catch (RefIsDirectoryException) { existing = null; }
            if (!o.Force && existing is not null)
                throw new RepoException($"--create specified but ref {newRef} already exists");
            var checksum = RevParser.Resolve(repo, prefix!);
            var parts = newRef.Split(':', 2);
            var collectionId = parts[0];
            var refName = parts.Length > 1 ? parts[1] : null;
            CollectionRefListing.ValidateCollectionId(collectionId);
            if (refName is null || !RefName.IsValid(refName)) throw new RepoException($"Invalid ref name {refName}");
            CollectionRefListing.Set(repo, collectionId, refName, checksum);
            return;
        }
        foreach (var (key, _) in refs.Entries)
            CollectionRefListing.Set(repo, key.CollectionId, key.RefName, null);
    }
}
