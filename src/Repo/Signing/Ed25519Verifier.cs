using System.Text;

namespace Arbor.Repo.Signing;

/// <summary>
/// Verifies Ed25519 signatures with a set of trusted public keys minus revoked ones, with
/// ostree 2022.7's outcomes and messages (ostree-sign-ed25519.c): success names the key;
/// failures say whether no signature was present or none verified.
/// </summary>
public sealed class Ed25519Verifier : ISignatureVerifier
{
    private readonly List<byte[]> _trusted;
    private readonly List<byte[]> _revoked;

    public Ed25519Verifier(IEnumerable<byte[]> trusted, IEnumerable<byte[]>? revoked = null)
    {
        _trusted = trusted.ToList();
        _revoked = revoked?.ToList() ?? [];
    }

    public int KeyCount => _trusted.Count;

    /// <summary>Returns the success message, or throws <see cref="SigningException"/> with ostree's wording.</summary>
    public string Verify(ReadOnlySpan<byte> data, IReadOnlyList<byte[]>? signatures)
    {
        if (signatures is null || signatures.Count == 0)
            throw new SigningException("ed25519: commit have no signatures of my type");
        if (_trusted.Count == 0) throw new SigningException("signature: ed25519: no keys loaded");
        var invalid = new StringBuilder();
        int nInvalid = 0;
        foreach (var sig in signatures)
        {
            if (sig.Length != Ed25519Keys.SignatureBytes)
                throw new SigningException($"Invalid signature length of {sig.Length} bytes, expected {Ed25519Keys.SignatureBytes}");
            foreach (var pk in _trusted)
            {
                if (_revoked.Any(r => r.AsSpan().SequenceEqual(pk))) continue;
                if (Ed25519Keys.Verify(pk, data, sig))
                    return $"ed25519: Signature verified successfully with key '{Convert.ToHexStringLower(pk)}'";
                if (invalid.Length > 0) invalid.Append("; ");
                invalid.Append("key '").Append(Convert.ToHexStringLower(pk)).Append('\'');
                nInvalid++;
            }
        }
        if (nInvalid > 3) throw new SigningException($"ed25519: Signature couldn't be verified; tried {nInvalid} keys");
        if (nInvalid > 0) throw new SigningException($"ed25519: Signature couldn't be verified with: {invalid}");
        throw new SigningException("ed25519: no signatures found");
    }
}
