namespace Arbor.Repo.Signing;

/// <summary>Checks signatures of one sign type over some bytes, as ostree's <c>ostree_sign_data_verify</c> does.</summary>
public interface ISignatureVerifier
{
    /// <summary>Returns the success message, or throws <see cref="SigningException"/> with ostree's wording.</summary>
    string Verify(ReadOnlySpan<byte> data, IReadOnlyList<byte[]>? signatures);
}
