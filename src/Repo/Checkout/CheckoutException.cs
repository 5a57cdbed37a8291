using Arbor.Repo.Core;

namespace Arbor.Repo.Checkout;

/// <summary>A checkout failed: an existing destination, a path that is not in the tree, a file that cannot be written.</summary>
public class CheckoutException : RepoException
{
    public CheckoutException(string message) : base(message) { }
    public CheckoutException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The subpath does not exist in the tree (what <c>--allow-noent</c> tolerates).</summary>
public sealed class CheckoutPathNotFoundException : CheckoutException
{
    public CheckoutPathNotFoundException(string path) : base($"No such file or directory: {path}") => TreePath = path;

    public string TreePath { get; }
}
