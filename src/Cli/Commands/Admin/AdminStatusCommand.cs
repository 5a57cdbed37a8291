using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Deploy.Status;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin status [--json]</c>: the deployments, as <c>ostree admin status</c> prints them.</summary>
public static class AdminStatusCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var json = GlobalOptions.Json();
        var cmd = new Command("status", "List deployments") { json };
        cmd.SetAction(p =>
        {
            var sysroot = locator.Open(p);
            var status = SysrootStatus.Build(sysroot, sysroot.Load());
            var output = CommandContext.Get().Out;
            if (p.GetValue(json)) StatusJsonRenderer.Render(output, status);
            else StatusTextRenderer.Render(output, status);
            return 0;
        });
        return cmd;
    }
}
