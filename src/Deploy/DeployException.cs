using Arbor.Repo.Core;

namespace Arbor.Deploy;

/// <summary>A sysroot or deployment operation failed; the message is one line, worded like ostree's.</summary>
public class DeployException : ArborException
{
    public DeployException(string message) : base(message) { }
    public DeployException(string message, Exception inner) : base(message, inner) { }
}
