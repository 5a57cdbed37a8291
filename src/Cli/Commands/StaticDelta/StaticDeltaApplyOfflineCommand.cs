using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Signing;
using Arbor.Repo.StaticDelta;

namespace Arbor.Cli.Commands.StaticDelta;

/// <summary>
/// <c>arbor static-delta apply-offline PATH [KEY-ID...]</c>: applies a delta directory or
/// superblock file into the repository, every object verified. A signed superblock is checked
/// first with the <c>--sign-type</c> engine (ed25519 by default, as an ostree built with libsodium
/// does) and the KEY-IDs, or the keys of <c>--keys-file</c> / <c>--keys-dir</c>, or the system's
/// trusted keys; when none of those can be loaded the signature is not checked, unless the
/// repository sets <c>core.sign-verify-deltas</c>.
/// </summary>
public static class StaticDeltaApplyOfflineCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var (signType, keysFile, keysDir) = StaticDeltaCommand.SignOptions();
        var args = StaticDeltaCommand.Rest("PATH");
        var cmd = new Command("apply-offline", "Apply static delta file") { repo, signType, keysFile, keysDir, args };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            r.EnsureWritable();
            var rest = p.GetValue(args) ?? [];
            if (rest.Length == 0) throw new RepoException("PATH must be specified");
            var engine = SignEngine.ByName(p.GetValue(signType) ?? SignTypes.Ed25519);
            var keys = rest[1..];
            string? file = p.GetValue(keysFile), dir = p.GetValue(keysDir);
            SignatureCheck? check;
            try { check = new SignatureCheck(engine, engine.Verifier(keys, load: keys.Length == 0 || file is not null, file, dir)); }
            catch (SigningException) when (keys.Length == 0 && file is null && dir is null)
            {
                check = null;
            }
            OfflineDeltaApplier.Apply(r, rest[0], check);
            return 0;
        });
        return cmd;
    }
}
