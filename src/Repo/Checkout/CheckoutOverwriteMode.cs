namespace Arbor.Repo.Checkout;

/// <summary>What a checkout does when a path already exists (ostree's <c>OstreeRepoCheckoutOverwriteMode</c>).</summary>
public enum CheckoutOverwriteMode
{
    /// <summary>The destination must not exist.</summary>
    None,
    /// <summary><c>--union</c>: keep existing directories, replace existing files.</summary>
    UnionFiles,
    /// <summary><c>--union-add</c>: keep existing files and directories, only add new ones.</summary>
    AddFiles,
    /// <summary><c>--union-identical</c>: add new files; an existing file must be identical (needs <see cref="CheckoutOptions.RequireHardlinks"/>).</summary>
    UnionIdentical,
}
