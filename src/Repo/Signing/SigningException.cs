using Arbor.Repo.Core;

namespace Arbor.Repo.Signing;

/// <summary>A signature could not be made, or a required signature is missing or does not verify.</summary>
public sealed class SigningException : ArborException
{
    public SigningException(string message) : base(message) { }
}
