using Arbor.Repo.Core;
using Arbor.Cli.Common;
using Arbor.Repo.Prune;

namespace Arbor.Cli.Commands.Admin;

/// <summary>The line ostree's sysroot cleanup prints after pruning the system repo, when it freed anything.</summary>
internal static class PruneReport
{
    public static void Print(PruneResult result)
    {
        if (result.FreedBytes > 0) CommandContext.Get().Out.WriteLine($"Freed objects: {SizeFormat.Format(result.FreedBytes)}");
    }
}
