using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.StaticDelta;

namespace Arbor.Cli.Commands.StaticDelta;

/// <summary><c>arbor static-delta apply-offline PATH</c>: applies a delta directory or superblock file into the repository, every object verified.</summary>
public static class StaticDeltaApplyOfflineCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var signType = new Option<string?>("--sign-type") { Description = "Signature type to use (defaults to 'ed25519')", HelpName = "NAME" };
        var args = StaticDeltaCommand.Rest("PATH");
        var cmd = new Command("apply-offline", "Apply static delta file") { repo, signType, args };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            r.EnsureWritable();
            var rest = p.GetValue(args) ?? [];
            if (rest.Length == 0) throw new RepoException("PATH must be specified");
            if (p.GetValue(signType) is not null || rest.Length > 1)
                throw new RepoException("Verifying static delta signatures is not implemented yet");
            OfflineDeltaApplier.Apply(r, rest[0]);
            return 0;
        });
        return cmd;
    }
}
