using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote gpg-import NAME [KEY-ID…] -k FILE… | --stdin</c>: adds the public keys (those the KEY-IDs name, else all) to the remote's keyring.</summary>
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
            var files = p.GetValue(keyring) ?? [];
            if (p.GetValue(stdin) && files.Length > 0) throw new RepoException("--keyring and --stdin are mutually exclusive");
            var sources = new List<byte[]>();
            if (p.GetValue(stdin))
            {
                using var ms = new MemoryStream();
                Console.OpenStandardInput().CopyTo(ms);
                sources.Add(ms.ToArray());
            }
            else foreach (var f in files) sources.Add(KeyFile.Read(f));
            var store = RemoteCommand.Open(p.GetValue(repo));
            int n = GpgKeyringImport.Import(store, a[0], sources, a[1..]);
            CommandContext.Get().Out.WriteLine($"Imported {n} GPG key{(n == 1 ? "" : "s")} to remote \"{a[0]}\"");
            return 0;
        });
        return cmd;
    }
}
