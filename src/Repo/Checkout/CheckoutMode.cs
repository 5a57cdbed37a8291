namespace Arbor.Repo.Checkout;

/// <summary>Whose ownership a checkout applies (ostree's <c>OstreeRepoCheckoutMode</c>).</summary>
public enum CheckoutMode
{
    /// <summary>Apply the recorded owners and xattrs (needs root); hardlinks come from bare repos.</summary>
    None,
    /// <summary><c>-U</c>: no chown, no xattrs, setuid/setgid masked on copies; hardlinks come from bare-user(-only) repos.</summary>
    User,
}
