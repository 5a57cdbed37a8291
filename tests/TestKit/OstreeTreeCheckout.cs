using Arbor.Deploy.Operations;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.TestKit;

/// <summary>
/// The deployment checkout step done by the real <c>ostree checkout --require-hardlinks
/// --process-passthrough-whiteouts</c> (what <c>admin deploy</c> does internally), so the rest of
/// the deploy operation can be tested before Repo's checkout engine exists. Runs inside a
/// <see cref="ScratchNamespace"/> when given one (paths are then translated), else on the host.
/// </summary>
internal sealed class OstreeTreeCheckout(ScratchNamespace? ns = null) : ITreeCheckout
{
    public void Checkout(Repository repo, Checksum commit, string destination)
    {
        string[] args = ["checkout", "--repo=" + Inner(repo.Path), "--require-hardlinks", "--process-passthrough-whiteouts", commit.ToString(), Inner(destination)];
        var r = ns is null ? OstreeOracle.Run(args) : ns.Ostree(args);
        if (r.ExitCode != 0) throw new IOException($"ostree checkout failed: {r.Stderr.Trim()}");
    }

    private string Inner(string hostPath) =>
        ns is not null && hostPath.StartsWith(ns.Path, StringComparison.Ordinal) ? ns.Inner + hostPath[ns.Path.Length..] : hostPath;
}
