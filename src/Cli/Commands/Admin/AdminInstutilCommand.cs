using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.Repo.Labels;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin instutil set-kargs [--merge] [--import-proc-cmdline] [--replace=K=V…] [--append=K=V…] [ARGS…]</c>:
/// ostree's installer helper that gives the first deployment a new kernel command line;
/// <c>arbor admin instutil grub2-generate [BOOTVERSION]</c>: the GRUB menu entries for
/// <c>/etc/grub.d/15_ostree</c>; and <c>arbor admin instutil selinux-ensure-labeled [SUBPATH PREFIX]</c>,
/// which labels what is still unlabeled in the first deployment (or SUBPATH, looked up as /PREFIX) from its policy.
/// </summary>
public static class AdminInstutilCommand
{
    public static Command Create(SysrootLocator locator)
    {
        // hidden from `admin --help`, as in ostree
        var cmd = new Command("instutil", "Deprecated commands intended for installer programs") { Hidden = true };
        cmd.Add(SelinuxEnsureLabeled(locator));
        cmd.Add(SetKargs(locator));
        cmd.Add(Grub2Generate(locator));
        return cmd;
    }

    private static Command Grub2Generate(SysrootLocator locator)
    {
        var bootversion = new Argument<string[]>("BOOTVERSION") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("grub2-generate", "Generate GRUB2 configuration from given BLS entries") { bootversion };
        cmd.SetAction(p =>
        {
            // no lock, as ostree: grub-mkconfig runs this while a deploy holds it
            var sysroot = locator.Open(p);
            var args = p.GetValue(bootversion) ?? [];
            var text = Arbor.Deploy.BootLoader.Grub2Generate.Run(sysroot, sysroot.Load(), args.Length > 0 ? args[0] : null, Environment.GetEnvironmentVariable);
            var ctx = CommandContext.Get();
            ctx.Out.Write(text);
            ctx.Out.Flush();
            return 0;
        });
        return cmd;
    }

    private static Command SelinuxEnsureLabeled(SysrootLocator locator)
    {
        var subpath = new Argument<string?>("SUBPATH") { Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Argument<string?>("PREFIX") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("selinux-ensure-labeled", "Relabel all or part of a deployment") { subpath, prefix };
        cmd.SetAction(p =>
        {
            var sysroot = locator.Open(p);
            var set = sysroot.Load();
            if (set.Count == 0) throw new DeployException("Unable to find a deployment in sysroot");
            var deployment = sysroot.DeploymentPath(set[0]);
            var sub = p.GetValue(subpath);
            string dir = sub is null ? deployment : Path.GetFullPath(sub);
            string pre = sub is null ? "" : p.GetValue(prefix) ?? "";
            var output = CommandContext.Get().Out;
            using var policy = SePolicy.Open(deployment);
            if (policy.Name is null)
            {
                output.WriteLine($"No SELinux policy found in deployment '{deployment}'");
                return 0;
            }
            output.WriteLine($"Relabeling using policy '{policy.Name}'");
            TreeRelabel.Run(policy, dir, pre, keepExisting: true, nameFailedPath: true,
                (path, relpath, label) => output.WriteLine($"Set label of '{path}' (as '{relpath}') to '{label}'"));
            return 0;
        });
        return cmd;
    }

    private static Command SetKargs(SysrootLocator locator)
    {
        var procCmdline = new Option<bool>("--import-proc-cmdline") { Description = "Import current /proc/cmdline" };
        var merge = new Option<bool>("--merge") { Description = "Merge with previous command line" };
        var replace = new Option<string[]>("--replace") { Description = "Set kernel argument, like root=/dev/sda1; this overrides any earlier argument with the same name", HelpName = "NAME=VALUE" };
        var append = new Option<string[]>("--append") { Description = "Append kernel argument; useful with e.g. console= that can be used multiple times", HelpName = "NAME=VALUE" };
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("set-kargs", "Set new kernel command line arguments(Not stable)") { procCmdline, merge, replace, append, args };
        cmd.SetAction(p =>
        {
            var (sysroot, lk, set) = locator.OpenLocked(p);
            using var _ = lk;
            string? cmdline = p.GetValue(procCmdline) ? Arbor.Deploy.IO.ProcCmdline.Read() : null;
            var kargs = KargsOperation.BuildSetKargs(set.Count > 0 ? set[0] : null, cmdline, p.GetValue(merge),
                p.GetValue(replace) ?? [], p.GetValue(append) ?? [], p.GetValue(args) ?? []);
            KargsOperation.SetKargs(sysroot, set, kargs, CommandContext.Get().Out.WriteLine);
            return 0;
        });
        return cmd;
    }
}
