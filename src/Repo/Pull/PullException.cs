using Arbor.Repo.Core;

namespace Arbor.Repo.Pull;

/// <summary>A pull failed: the server refused, the network failed after retries, or a ref is unknown. Names the URL.</summary>
public sealed class PullException : ArborException
{
    public PullException(string message) : base(message) { }
    public PullException(string message, Exception inner) : base(message, inner) { }
}
