using Arbor.Repo.Core;

namespace Arbor.Repo.GVariant;

/// <summary>Malformed or non-normal GVariant data, or an invalid type string.</summary>
public sealed class GVariantFormatException : ArborException
{
    public GVariantFormatException(string message) : base(message) { }
}
