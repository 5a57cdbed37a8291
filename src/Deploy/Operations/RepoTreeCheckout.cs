using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Deploy.Operations;

/// <summary>
/// The deployment checkout as ostree 2022.7's <c>checkout_deployment_tree</c> does it: hardlinks
/// from the sysroot's repository and no copy fallback (a deployment is a hardlink farm), passthrough
/// whiteouts (<c>.ostree-wh.NAME</c> becomes an overlayfs whiteout), user mode for bare-user repos, no
/// per-file fsync (the deploy syncs the whole filesystem before the boot configuration moves).
/// </summary>
internal sealed class RepoTreeCheckout : ITreeCheckout
{
    public static RepoTreeCheckout Instance { get; } = new();

    public void Checkout(Repository repo, Checksum commit, string destination)
    {
        var options = new CheckoutOptions
        {
            Mode = repo.Mode is RepoMode.BareUser or RepoMode.BareUserOnly ? CheckoutMode.User : CheckoutMode.None,
            RequireHardlinks = true,
            ProcessWhiteouts = true,
            Fsync = false,
        };
        try
        {
            TreeCheckout.Run(repo, commit, destination, options);
        }
        catch (RepoException e)
        {
            throw new IOException(e.Message, e);
        }
    }
}
