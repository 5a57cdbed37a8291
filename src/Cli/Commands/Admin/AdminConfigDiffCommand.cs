using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Etc;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin config-diff [--os=STATEROOT]</c>: the deployment's /etc against its defaults (M, D, A lines).</summary>
public static class AdminConfigDiffCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var os = new Option<string?>("--os") { Description = "Use a different operating system root than the current one", HelpName = "OSNAME" };
        var cmd = new Command("config-diff", "Diff current /etc configuration versus default") { os };
        cmd.SetAction(p =>
        {
            var sysroot = locator.Open(p);
            var set = sysroot.Load();
            var stateroot = p.GetValue(os);
            if (set.Booted is null && stateroot is null)
                throw new DeployException("Not currently booted into an OSTree system and no --os= argument given");
            var d = stateroot is not null
                ? set.MergeDeployment(stateroot) ?? throw new DeployException($"No deployment for OS '{stateroot}'")
                : set.Booted!;
            var dir = sysroot.DeploymentPath(d);
            var diff = EtcDiff.Compute(Path.Join(dir, "usr/etc"), Path.Join(dir, "etc"));
            // names go out as their raw bytes, UTF-8 or not, as ostree prints them
            var text = new MemoryStream();
            foreach (var (tag, paths) in new[] { ("M    ", diff.Modified), ("D    ", diff.Removed), ("A    ", diff.Added) })
                foreach (var path in paths)
                {
                    text.Write(System.Text.Encoding.ASCII.GetBytes(tag));
                    text.Write(EtcDiff.PathBytes(path));
                    text.WriteByte((byte)'\n');
                }
            var output = CommandContext.Get().OpenBinaryOut();
            output.Write(text.GetBuffer(), 0, (int)text.Length);
            output.Flush();
            return 0;
        });
        return cmd;
    }
}
