using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote gpg-import NAME -k FILE… | --stdin</c>: adds public keys to the remote's keyring.</summary>
public static class RemoteGpgImportCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var keyring = new Option<string[]>("--keyring", "-k") { Description = "Import keys from a keyring file (repeatable)", HelpName = "FILE" };
        var stdin = new Option<bool>("--stdin") { Description = "Import keys from standard input" };
        var args = new Argument<string[]>("NAME [KEY-ID...]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("gpg-import", "Import GPG keys") { repo, keyring, stdin, args };
        cmd.SetAction(p =>
        {
            var a = p.GetValue(args) ?? [];
            if (a.Length < 1) throw new RepoException("NAME must be specified");
            if (a.Length > 1) throw new RepoException("Importing keys by KEY-ID needs a GnuPG home; pass the keys with --keyring or --stdin");
            var sources = (p.GetValue(keyring) ?? []).Select(File.ReadAllBytes).ToList();
            if (p.GetValue(stdin))
            {
                using var ms = new MemoryStream();
                Console.OpenStandardInput().CopyTo(ms);
                sources.Add(ms.ToArray());
            }
            if (sources.Count == 0) throw new RepoException("No keys to import: use --keyring=FILE or --stdin");
            var store = RemoteCommand.Open(p.GetValue(repo));
            int n = GpgKeyringImport.Import(store, a[0], sources);
            CommandContext.Get().Out.WriteLine($"Imported {n} GPG key{(n == 1 ? "" : "s")} to remote \"{a[0]}\"");
            return 0;
        });
        return cmd;
    }
}
