using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Deploy.Operations;

/// <summary>
/// The production checkout step: Repo's checkout engine writing a hardlink farm of the bare
/// system repo, as ostree's <c>checkout_deployment_tree</c> does (owners and xattrs applied,
/// passthrough whiteouts <c>.ostree-wh.NAME</c> turned into 0:0 character devices, copies only
/// where a hardlink is impossible). Like ostree it does not fsync file by file: the deployment
/// becomes durable through the syncfs() that precedes the boot configuration swap. The tree is
/// built under its final name, as ostree builds it.
/// </summary>
internal sealed class RepoTreeCheckout(IProgress<CheckoutProgress>? progress = null) : ITreeCheckout
{
    private readonly CheckoutOptions _options = new()
    {
        Mode = CheckoutMode.None,
        ProcessWhiteouts = true,
        Fsync = false,
        // straight to CHECKSUM.SERIAL, as ostree: an interrupted checkout is then a deployment
        // directory that no entry uses, which the cleanup of both tools removes
        InPlace = true,
        Progress = new CrashPointProgress(progress),
    };

    public void Checkout(Repository repo, Checksum commit, string destination)
    {
        try { TreeCheckout.Run(repo, commit, destination, _options); }
        catch (RepoException e) { throw new IOException(e.Message, e); }
    }

    public void CheckoutLabeledEtc(Repository repo, Checksum commit, string subpath, string destination, Arbor.Repo.Labels.SePolicy policy)
    {
        var options = new CheckoutOptions
        {
            Mode = CheckoutMode.None,
            ForceCopy = true,
            Fsync = false,
            Subpath = subpath,
            SePolicy = policy,
            SePolicyPrefix = "/etc",
        };
        try { TreeCheckout.Run(repo, commit, destination, options); }
        catch (RepoException e) { throw new IOException(e.Message, e); }
    }

    /// <summary>Reported synchronously from the checkout workers (the first batch at once, then at most every 200 ms); passed on to the caller's progress.</summary>
    private sealed class CrashPointProgress(IProgress<CheckoutProgress>? next) : IProgress<CheckoutProgress>
    {
        public void Report(CheckoutProgress value)
        {
            CrashPoint.Hit(CrashPoint.Names.CheckingOut);
            next?.Report(value);
        }
    }
}
