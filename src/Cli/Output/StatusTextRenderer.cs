using Arbor.Deploy;
using Arbor.Deploy.Status;

namespace Arbor.Cli.Output;

/// <summary>
/// <c>admin status</c> as ostree 2022.7 prints it: per deployment
/// <c>"%c %s %s.%d%s"</c> (booted mark, stateroot, checksum, serial, staged/pending/rollback),
/// then Version, Unlocked, Pinned, origin and GPG signature lines. Pure.
/// </summary>
public static class StatusTextRenderer
{
    public static void Render(TextWriter w, SysrootStatus status)
    {
        if (status.Deployments.Count == 0)
        {
            w.Write("No deployments.\n");
            return;
        }
        foreach (var d in status.Deployments)
        {
            var mark = d.Staged ? " (staged)" : d.Pending ? " (pending)" : d.Rollback ? " (rollback)" : "";
            w.Write($"{(d.Booted ? '*' : ' ')} {d.Stateroot} {d.Name}{mark}\n");
            if (d.Version is not null) w.Write($"    Version: {d.Version}\n");
            if (d.Unlocked != UnlockedState.None) w.Write($"    Unlocked: {d.Unlocked.ToString().ToLowerInvariant()}\n");
            if (d.Pinned) w.Write("    Pinned: yes\n");
            if (!d.HasOrigin) w.Write("    origin: none\n");
            else
            {
                w.Write(d.Refspec is null ? "    origin: <unknown origin type>\n" : $"    origin refspec: {d.Refspec}\n");
                if (d.SourceTitle is not null) w.Write($"    `- {d.SourceTitle}\n");
            }
            if (d.GpgSignatures is { } sigs)
            {
                foreach (var sig in sigs) w.Write(sig.Describe("GPG: "));
                w.Write('\n');
            }
            if (d.PlainGpgSignatures is { } plain)
                foreach (var sig in plain) w.Write(sig.Describe("    GPG: "));
        }
    }
}
