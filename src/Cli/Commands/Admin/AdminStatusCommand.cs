using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Deploy.Status;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin status [-V] [--json]</c>: the deployments, as <c>ostree admin status</c> prints them.</summary>
public static class AdminStatusCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var json = GlobalOptions.Json();
        var verify = new Option<bool>("--verify", "-V") { Description = "Print the commit verification status" };
        var cmd = new Command("status", "List deployments") { verify, json };
        cmd.SetAction(p =>
        {
            var sysroot = locator.Open(p);
            var set = sysroot.Load();
            if (p.GetValue(locator.Verbose))
                foreach (var line in SysrootDebugLines.For(sysroot, set)) CommandContext.Get().Error.WriteLine(line);
            // the GPG lines plain status prints (and its failures) belong to ostree's text; --json leaves them out
            var status = SysrootStatus.Build(sysroot, set, verify: p.GetValue(verify), plainGpg: !p.GetValue(json));
            var output = CommandContext.Get().Out;
            if (p.GetValue(json)) StatusJsonRenderer.Render(output, status);
            else StatusTextRenderer.Render(output, status);
            // as ostree: the deployments up to the one that failed verification are printed, then the error
            if (status.Deployments.Count > 0 && status.Deployments[^1].VerifyError is { } error) throw new Arbor.Deploy.DeployException(error);
            return 0;
        });
        return cmd;
    }
}
