using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Deploy.Operations;

/// <summary>
/// The checkout step of a deployment: <paramref name="commit"/> written to
/// <paramref name="destination"/> (which does not exist yet) as a hardlink farm of the bare
/// system repo, with overlayfs whiteouts processed. Repo's checkout engine implements it; the
/// seam keeps Deploy from knowing how trees are stored.
/// </summary>
internal interface ITreeCheckout
{
    void Checkout(Repository repo, Checksum commit, string destination);

    /// <summary>
    /// A copy (never hardlinks) of <paramref name="subpath"/> of <paramref name="commit"/> at
    /// <paramref name="destination"/>, labeled from <paramref name="policy"/> as <c>/etc</c>:
    /// how a deployment's <c>/etc</c> is made when its tree has an SELinux policy.
    /// </summary>
    void CheckoutLabeledEtc(Repository repo, Checksum commit, string subpath, string destination, Arbor.Repo.Labels.SePolicy policy);
}
