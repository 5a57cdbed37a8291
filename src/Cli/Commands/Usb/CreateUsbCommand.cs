using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.Usb;

namespace Arbor.Cli.Commands.Usb;

/// <summary>
/// <c>arbor create-usb [--destination-repo=DEST] [--commit=COMMIT] MOUNT-PATH COLLECTION-ID REF [COLLECTION-ID REF...]</c>:
/// copy collection–refs into a repository on a mounted file system, for offline distribution.
/// </summary>
public static class CreateUsbCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var disableFsync = new Option<bool>("--disable-fsync") { Description = "Do not invoke fsync()" };
        var destination = new Option<string?>("--destination-repo") { Description = "Use custom repository directory within the mount", HelpName = "DEST" };
        var commit = new Option<string?>("--commit") { Description = "Pull a specific commit (only works when a single ref is specified)", HelpName = "COMMIT" };
        var args = new Argument<string[]>("MOUNT-PATH COLLECTION-ID REF [COLLECTION-ID REF...]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("create-usb", "Copy the refs to a USB stick") { repo, disableFsync, destination, commit, GlobalOptions.Verbose(), args };
        cmd.SetAction(async (p, ct) =>
        {
            var source = RepoLocator.Open(p.GetValue(repo));
            var a = p.GetValue(args) ?? [];
            if (a.Length < 1) throw new RepoException("A MOUNT-PATH must be specified");
            var refs = CollectionRefArguments.Pair(a[1..]);
            var pinned = p.GetValue(commit);
            if (pinned is not null && refs.Count > 1)
                throw new RepoException("The --commit option can only be used when a single COLLECTION-ID REF pair is specified");
            var terminal = TerminalProgress.ForCommand();
            var request = new UsbCopyRequest(a[0], refs, p.GetValue(destination), pinned is null ? null : RevParser.ParseChecksum(pinned))
            {
                DisableFsync = p.GetValue(disableFsync),
                Progress = terminal,
            };
            string dest;
            try { dest = await UsbRepoWriter.CopyAsync(source, request, ct).ConfigureAwait(false); }
            finally { terminal?.Clear(); }
            CommandContext.Get().Out.Write($"Copied {refs.Count}/{refs.Count} refs successfully from ‘{source.Path}’ to ‘{dest}’ repository in ‘{a[0]}’.\n");
            return 0;
        });
        return cmd;
    }
}
