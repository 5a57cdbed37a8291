using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin pin [-u] INDEX…</c>: keep (or stop keeping) deployments across upgrades.</summary>
public static class AdminPinCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var unpin = new Option<bool>("--unpin", "-u") { Description = "Unset pin" };
        var indexes = new Argument<string[]>("INDEX") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("pin", "Change the \"pinning\" state of a deployment") { unpin, indexes };
        cmd.SetAction(p =>
        {
            var args = p.GetValue(indexes) ?? [];
            SysrootLocator.RefuseOptions(args);
            if (args.Length == 0) throw new DeployException("INDEX must be specified");
            var (sysroot, lk, set) = locator.OpenLocked(p);
            using var _ = lk;
            var output = CommandContext.Get().Out;
            bool desired = !p.GetValue(unpin);
            foreach (var text in args)
            {
                int index = SysrootLocator.ParsePinIndex(text);
                if (!PinOperation.SetPinned(sysroot, set, index, desired))
                    output.WriteLine($"Deployment {text} is already {(desired ? "pinned" : "unpinned")}");
                else
                {
                    output.WriteLine($"Deployment {text} is now {(desired ? "pinned" : "unpinned")}");
                    set = sysroot.Load();
                }
            }
            return 0;
        });
        return cmd;
    }
}
