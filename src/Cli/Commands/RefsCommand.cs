using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor refs [PREFIX] [--delete] [--create=NEWREF] [--alias] [--list]</c>.</summary>
public static class RefsCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var delete = new Option<bool>("--delete") { Description = "Delete refs which match PREFIX, rather than listing them" };
        var list = new Option<bool>("--list") { Description = "Do not remove the prefix from the refs" };
        var create = new Option<string?>("--create") { Description = "Create a new ref for an existing commit", HelpName = "NEWREF" };
        var alias = new Option<bool>("--alias", "-A") { Description = "If used with --create, create an alias, otherwise just list aliases" };
        var force = new Option<bool>("--force") { Description = "Overwrite existing refs when creating" };
        var prefix = new Argument<string?>("PREFIX") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("refs", "List refs") { repo, delete, list, create, alias, force, prefix };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var ctx = CommandContext.Get();
            var pre = p.GetValue(prefix);
            if (p.GetValue(create) is { } newRef)
            {
                if (pre is null) throw new RepoException("Must specify an existing ref when creating a new ref");
                if (!p.GetValue(force) && r.Refs.TryRead(null, newRef) is not null)
                    throw new RepoException($"--create specified but ref {newRef} already exists");
                if (p.GetValue(alias))
                {
                    if (r.Refs.TryRead(null, pre) is null) throw new RefNotFoundException($"Cannot create alias to non-existent ref: {pre}");
                    r.Refs.WriteAlias(newRef, pre);
                }
                else
                {
                    var target = RevParser.Resolve(r, pre);
                    using var lk = r.Lock(exclusive: false);
                    r.Refs.Write(null, newRef, target);
                }
                return 0;
            }
            if (p.GetValue(delete))
            {
                if (pre is null) throw new RepoException("Usage: refs --delete PREFIX");
                using var lk = r.Lock(exclusive: true);
                var (remote, refPrefix) = RefName.ParseRefspec(pre);
                var matches = remote is null
                    ? r.Refs.ListHeads(refPrefix).Keys.Select(k => (Remote: (string?)null, Ref: k)).ToList()
                    : r.Refs.ListRemotes(remote).Keys.Select(k => (Remote: (string?)remote, Ref: k[(remote.Length + 1)..])).Where(k => k.Ref == refPrefix || k.Ref.StartsWith(refPrefix + "/", StringComparison.Ordinal)).ToList();
                foreach (var (rem, name) in matches) r.Refs.Write(rem, name, null);
                return 0;
            }
            var heads = r.Refs.ListHeads(pre);
            foreach (var name in heads.Keys)
            {
                bool isAlias = r.Refs.AliasTarget(name) is not null;
                if (p.GetValue(alias) && !isAlias) continue;
                var shown = pre is not null && !p.GetValue(list) && name.StartsWith(pre + "/", StringComparison.Ordinal) ? name[(pre.Length + 1)..] : name;
                ctx.Out.WriteLine(p.GetValue(alias) ? $"{shown} -> {r.Refs.AliasTarget(name)}" : shown);
            }
            if (pre is null && !p.GetValue(alias))
                foreach (var name in r.Refs.ListRemotes().Keys) ctx.Out.WriteLine(name);
            return 0;
        });
        return cmd;
    }
}
