using System.CommandLine;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary>The flags <c>admin deploy</c>, <c>upgrade</c> and <c>switch</c> share (ostree 2022.7's names and help).</summary>
internal sealed class DeployFlags
{
    public Option<string?> Os { get; } = new("--os", "--stateroot") { Description = "Use a different operating system root than the current one", HelpName = "OSNAME" };
    public Option<string?> OriginFile { get; } = new("--origin-file") { Description = "Specify origin file", HelpName = "FILENAME" };
    public Option<bool> NoPrune { get; } = new("--no-prune") { Description = "Don't prune the repo when done" };
    public Option<bool> NoMerge { get; } = new("--no-merge") { Description = "Do not apply configuration (/etc and kernel arguments) from booted deployment" };
    public Option<bool> Retain { get; } = new("--retain") { Description = "Do not delete previous deployments" };
    public Option<bool> RetainPending { get; } = new("--retain-pending") { Description = "Do not delete pending deployments" };
    public Option<bool> RetainRollback { get; } = new("--retain-rollback") { Description = "Do not delete rollback deployments" };
    public Option<bool> NotAsDefault { get; } = new("--not-as-default") { Description = "Append rather than prepend new deployment" };
    public Option<bool> KargProcCmdline { get; } = new("--karg-proc-cmdline") { Description = "Import current /proc/cmdline" };
    public Option<string[]> Karg { get; } = new("--karg") { Description = "Set kernel argument, like root=/dev/sda1; this overrides any earlier argument with the same name", HelpName = "NAME=VALUE" };
    public Option<string[]> KargAppend { get; } = new("--karg-append") { Description = "Append kernel argument; useful with e.g. console= that can be used multiple times", HelpName = "NAME=VALUE" };
    public Option<bool> KargNone { get; } = new("--karg-none") { Description = "Do not import kernel arguments" };
    /// <summary>A plain string option in ostree (GOption): it may be repeated, and the last one given wins.</summary>
    public Option<string[]> KargDelete { get; } = new("--karg-delete") { Description = "Delete kernel argument if exists", HelpName = "NAME=VALUE" };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { Os, OriginFile, NoPrune, NoMerge, Retain, RetainPending, RetainRollback, NotAsDefault, KargProcCmdline, Karg, KargAppend, KargNone, KargDelete })
            cmd.Add(o);
    }

    public DeployRequest ToRequest(ParseResult p, string refspec, OriginFile? origin = null)
    {
        if (p.GetValue(OriginFile) is { } path)
        {
            // ostree's g_key_file_load_from_file: the bare errno text, the parser's message unprefixed
            try { origin = Arbor.Deploy.OriginFile.Parse(File.ReadAllText(path)); }
            catch (FileNotFoundException) { throw new DeployException("No such file or directory"); }
            catch (DirectoryNotFoundException) { throw new DeployException("No such file or directory"); }
            catch (IOException e) { throw new DeployException($"Failed to open file “{path}”: {e.Message}"); }
            catch (UnauthorizedAccessException e) { throw new DeployException($"Failed to open file “{path}”: {e.Message}"); }
        }
        string? procCmdline = p.GetValue(KargProcCmdline) && !p.GetValue(KargNone) ? Arbor.Deploy.IO.ProcCmdline.Read() : null;
        var request = new DeployRequest
        {
            Refspec = refspec,
            Stateroot = p.GetValue(Os),
            Origin = origin,
            NoMerge = p.GetValue(NoMerge),
            NoPrune = p.GetValue(NoPrune),
            Retain = p.GetValue(Retain),
            RetainPending = p.GetValue(RetainPending),
            RetainRollback = p.GetValue(RetainRollback),
            NotAsDefault = p.GetValue(NotAsDefault),
            KargsNone = p.GetValue(KargNone),
            ProcCmdline = procCmdline,
            Kargs = p.GetValue(Karg) ?? [],
            KargsAppend = p.GetValue(KargAppend) ?? [],
            KargDelete = p.GetValue(KargDelete) is [.., var lastDelete] ? lastDelete : null,
        };
        if (p.GetValue(KargProcCmdline) && p.GetValue(KargNone)) throw new DeployException("Can't specify both --karg-proc-cmdline and --karg-none");
        return request;
    }
}
