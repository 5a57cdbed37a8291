using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Signing;
using Arbor.Repo.StaticDelta;

namespace Arbor.Cli.Commands.StaticDelta;

/// <summary>
/// <c>arbor static-delta list|show|delete|generate|apply-offline|verify|indexes|reindex</c>, as in
/// ostree 2022.7; the small listing subcommands live here, the others in their own files.
/// </summary>
public static class StaticDeltaCommand
{
    public static Command Create()
    {
        var cmd = new Command("static-delta", "Static delta related commands");
        cmd.Add(List());
        cmd.Add(StaticDeltaShowCommand.Create());
        cmd.Add(Delete());
        cmd.Add(StaticDeltaGenerateCommand.Create());
        cmd.Add(StaticDeltaApplyOfflineCommand.Create());
        cmd.Add(Verify());
        cmd.Add(Indexes());
        cmd.Add(Reindex());
        cmd.SetAction(int (p) =>
        {
            CommandContext.Get().Error.Write(GOptionHelp.Render(p)); // ostree's usage first
            throw new RepoException("No command specified");
        });
        return cmd;
    }

    /// <summary>The optional positional arguments of a subcommand (ostree checks their count itself, with its own messages).</summary>
    internal static Argument<string[]> Rest(string name) => new(name) { Arity = ArgumentArity.ZeroOrMore };

    /// <summary>One line per item, or <paramref name="none"/> when there are none.</summary>
    private static void PrintLines(IEnumerable<string> lines, string none)
    {
        var o = CommandContext.Get().Out;
        bool any = false;
        foreach (var line in lines)
        {
            o.Write(line + "\n");
            any = true;
        }
        if (!any) o.Write(none + "\n");
    }

    private static Command List()
    {
        var repo = GlobalOptions.Repo();
        var cmd = new Command("list", "List static delta files") { repo };
        cmd.SetAction(p =>
        {
            PrintLines(StaticDeltaStore.ListNames(RepoLocator.Open(p.GetValue(repo))), "(No static deltas)");
            return 0;
        });
        return cmd;
    }

    private static Command Delete()
    {
        var repo = GlobalOptions.Repo();
        var delta = Rest("DELTA");
        var cmd = new Command("delete", "Remove a delta") { repo, delta };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var args = p.GetValue(delta) ?? [];
            if (args.Length == 0) throw new RepoException("DELTA must be specified");
            StaticDeltaStore.Delete(r, args[0]);
            return 0;
        });
        return cmd;
    }

    private static Command Indexes()
    {
        var repo = GlobalOptions.Repo();
        var cmd = new Command("indexes", "List static delta indexes") { repo };
        cmd.SetAction(p =>
        {
            PrintLines(DeltaIndexes.List(RepoLocator.Open(p.GetValue(repo))).Select(c => c.ToString()), "(No static deltas indexes)");
            return 0;
        });
        return cmd;
    }

    private static Command Reindex()
    {
        var repo = GlobalOptions.Repo();
        var to = new Option<string?>("--to") { Description = "Only update delta index to revision REV", HelpName = "REV" };
        var cmd = new Command("reindex", "Regenerate static delta indexes") { repo, to };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            Checksum? only = null;
            if (p.GetValue(to) is { } rev)
                only = Checksum.TryParse(rev, out var c) ? c : throw new RepoException($"Invalid rev {rev}");
            DeltaIndexes.Reindex(r, only);
            return 0;
        });
        return cmd;
    }

    private static Command Verify()
    {
        var repo = GlobalOptions.Repo();
        var (signType, keysFile, keysDir) = SignOptions();
        var args = Rest("STATIC-DELTA-FILE [KEY-ID...]");
        var cmd = new Command("verify", "Verify static delta signatures") { repo, signType, keysFile, keysDir, args };
        cmd.SetAction(int (p) =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var rest = p.GetValue(args) ?? [];
            if (rest.Length == 0) throw new RepoException("DELTA must be specified");
            var o = CommandContext.Get().Out;
            SignEngine engine;
            try { engine = SignEngine.ByName(p.GetValue(signType) ?? SignTypes.Ed25519); }
            catch (SigningException)
            {
                o.Write("Sign-type not supported\n");
                throw;
            }
            var keys = rest[1..];
            var file = p.GetValue(keysFile);
            var verifier = engine.Verifier(keys, load: keys.Length == 0 || file is not null, file, p.GetValue(keysDir));
            try
            {
                var (bytes, shown) = StaticDeltaStore.ReadSuperblock(r, rest[0]);
                SignedDeltaSuperblock.Verify(bytes, engine, verifier, shown);
            }
            catch (ArborException)
            {
                o.Write("Verification fails\n");
                throw;
            }
            o.Write("Verification OK\n");
            return 0;
        });
        return cmd;
    }

    /// <summary>The <c>--sign-type</c>, <c>--keys-file</c> and <c>--keys-dir</c> options of verify and apply-offline.</summary>
    internal static (Option<string?> SignType, Option<string?> KeysFile, Option<string?> KeysDir) SignOptions() => (
        new Option<string?>("--sign-type") { Description = "Signature type to use (defaults to 'ed25519')", HelpName = "NAME" },
        new Option<string?>("--keys-file") { Description = "Read key(s) from file", HelpName = "NAME" },
        new Option<string?>("--keys-dir") { Description = "Redefine system-wide directories with public and revoked keys for verification", HelpName = "NAME" });
}
