using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Commands.Remote;

/// <summary>
/// <c>arbor remote gpg-list-keys [NAME]</c>: the keys a remote trusts (its keyring and
/// <c>gpgkeypath</c>, else the global keyrings), or with no NAME the global keyrings alone, as
/// ot-remote-builtin-gpg-list-keys.c prints them; extra arguments are ignored, as there.
/// </summary>
public static class RemoteGpgListKeysCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var args = new Argument<string[]>("NAME") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("gpg-list-keys", "Show remote GPG keys") { repo, args };
        cmd.SetAction(p =>
        {
            var name = (p.GetValue(args) ?? []).FirstOrDefault();
            var store = RemoteCommand.Open(p.GetValue(repo));
            var keys = name is null ? GpgKeyrings.Global(store) : GpgKeyrings.ForRemote(store, store.Get(name), addGlobal: false);
            var w = CommandContext.Get().Out;
            var now = DateTimeOffset.UtcNow;
            foreach (var ring in keys.Rings) GpgKeyRenderer.Render(w, GpgKeyView.From(ring, now));
            return 0;
        });
        return cmd;
    }
}
