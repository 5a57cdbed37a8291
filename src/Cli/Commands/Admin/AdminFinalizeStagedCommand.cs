using System.CommandLine;
using System.Runtime.InteropServices;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin finalize-staged</c>: write out the deployment <c>deploy --stage</c> left in
/// <c>/run/ostree/staged-deployment</c> (run at shutdown by arbor-finalize-staged.service).
/// <c>--hold</c> keeps /boot open until SIGTERM, so that an automounted /boot cannot expire
/// while finalization needs it (arbor-finalize-staged-hold.service).
/// </summary>
public static class AdminFinalizeStagedCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var hold = new Option<bool>("--hold") { Description = "Hold /boot open during finalization" };
        var cmd = new Command("finalize-staged", "Finalize the staged deployment (run at shutdown)") { hold };
        cmd.Hidden = true;
        cmd.SetAction(async (p, ct) =>
        {
            var sysroot = locator.Open(p);
            if (p.GetValue(hold))
            {
                await HoldBootOpen(sysroot, ct);
                return 0;
            }
            FinalizeStagedOperation.Run(sysroot, CommandContext.Get().Out.WriteLine, SysrootLocator.OnLockWait, CommandContext.Get().Error.WriteLine);
            return 0;
        });
        return cmd;
    }

    private static async Task HoldBootOpen(Arbor.Deploy.Sysroot sysroot, CancellationToken ct)
    {
        // the handler first: SIGTERM may come as soon as /boot is seen open
        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var reg = ct.Register(() => stop.TrySetResult());
        using (FinalizeStagedOperation.HoldBoot(sysroot))
            await stop.Task.ConfigureAwait(false);
    }
}
