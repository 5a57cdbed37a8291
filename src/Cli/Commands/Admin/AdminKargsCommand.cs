using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin kargs edit-in-place --append-if-missing=K=V…</c> (as ostree) and
/// <c>arbor admin kargs list [--deployment=INDEX]</c>: the kernel arguments of a deployment's
/// entry, one per line (the booted deployment, else the default).
/// </summary>
public static class AdminKargsCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var cmd = new Command("kargs", "Change kernel arguments");
        cmd.Add(EditInPlace(locator));
        cmd.Add(List(locator));
        return cmd;
    }

    private static Command EditInPlace(SysrootLocator locator)
    {
        var append = new Option<string[]>("--append-if-missing") { Description = "Append kernel arguments if they do not exist", HelpName = "NAME=VALUE" };
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore };
        // hidden from `admin kargs --help`, as in ostree
        var cmd = new Command("edit-in-place", "Set new kernel command line arguments in place (applies to all deployments by default)") { append, args };
        cmd.Hidden = true;
        cmd.SetAction(p =>
        {
            // GOption refuses what it does not know; the ARGS argument would swallow it here
            SysrootLocator.RefuseOptions(p.GetValue(args) ?? []);
            var (sysroot, lk, set) = locator.OpenLocked(p);
            using var _ = lk;
            KargsOperation.EditInPlace(sysroot, set, p.GetValue(append) ?? []);
            return 0;
        });
        return cmd;
    }

    private static Command List(SysrootLocator locator)
    {
        var index = new Option<string?>("--deployment") { Description = "List the arguments of deployment INDEX (default: the booted one, else the default one)", HelpName = "INDEX" };
        var cmd = new Command("list", "Print a deployment's kernel arguments, one per line") { index };
        cmd.SetAction(p =>
        {
            var sysroot = locator.Open(p);
            var set = sysroot.Load();
            if (set.Count == 0) throw new DeployException("Unable to find a deployment in sysroot");
            var d = p.GetValue(index) is { } text ? set.At(SysrootLocator.ParseIndex(text)) : set.Booted ?? set[0];
            var output = CommandContext.Get().Out;
            foreach (var a in d.KernelArgs.ToArray()) output.WriteLine(a);
            return 0;
        });
        return cmd;
    }
}
