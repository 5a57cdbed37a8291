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
}
