using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Labels;

public sealed partial class SePolicy
{
    private const string CommitPolicyPath = "usr/etc/selinux";

    /// <summary>
    /// The policy a commit carries in <c>/usr/etc/selinux</c> (ostree_sepolicy_new_from_commit):
    /// that directory is checked out in user mode into a private temporary root, which is read
    /// and removed again. A commit without it gives a policy that labels nothing.
    /// </summary>
    public static SePolicy FromCommit(Repository repo, Checksum commit)
    {
        var tmp = Directory.CreateTempSubdirectory("arbor-commit-sepolicy-");
        try
        {
            Directory.CreateDirectory(Path.Combine(tmp.FullName, "usr/etc"));
            try
            {
                TreeCheckout.Run(repo, commit, Path.Combine(tmp.FullName, CommitPolicyPath),
                    new CheckoutOptions { Mode = CheckoutMode.User, Subpath = "/" + CommitPolicyPath });
            }
            catch (CheckoutPathNotFoundException)
            {
                // no policy in the commit: labeling stays off
            }
            catch (ArborException e)
            {
                throw new RepoException($"setting sepolicy from commit: policy checkout: {e.Message}");
            }
            try
            {
                return Open(tmp.FullName);
            }
            catch (RepoException e)
            {
                throw new RepoException($"setting sepolicy from commit: {e.Message}");
            }
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }
}
