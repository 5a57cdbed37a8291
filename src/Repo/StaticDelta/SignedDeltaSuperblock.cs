using System.Buffers.Binary;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Signing;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// A signed superblock as ostree 2022.7 writes it (<c>OSTREE_STATIC_DELTA_SIGNED_FORMAT</c>,
/// <c>(taya{sv})</c>): the magic <c>OSTSGNDT</c> (a big-endian <c>t</c>), the unsigned superblock's
/// bytes, and a dictionary holding the signatures of those bytes under the engine's
/// <c>ostree.sign.NAME</c> key as an <c>aay</c>.
/// </summary>
public static class SignedDeltaSuperblock
{
    private static readonly GVariantType Format = GVariantType.Parse("(taya{sv})");

    /// <summary>Wraps <paramref name="superblock"/> with one signature per secret key.</summary>
    public static byte[] Wrap(byte[] superblock, SignEngine engine, IReadOnlyList<string> secretKeys)
    {
        var signatures = secretKeys.Select(k => engine.Sign(superblock, k)).ToList();
        using var w = new GVariantWriter(Format, superblock.Length + 256 + signatures.Sum(s => s.Length + 8));
        w.BeginTuple();
        w.WriteUInt64(BinaryPrimitives.ReverseEndianness(DeltaSuperblock.SignedMagic));
        w.WriteByteArray(superblock);
        w.BeginArray();
        w.BeginDictEntry();
        w.WriteString(engine.MetadataKey);
        w.BeginVariant(GVariantType.ByteArrayArray);
        GVariantValue.Array(GVariantType.ByteArrayArray, signatures.Select(s => GVariantValue.Bytes(s))).WriteTo(w);
        w.End();
        w.End();
        w.End();
        w.End();
        return w.ToArray();
    }

    /// <summary>
    /// Checks the signatures of <paramref name="engine"/>'s type in a signed superblock with
    /// <paramref name="verifier"/>; returns its success message or throws with ostree's wording.
    /// </summary>
    public static string Verify(byte[] bytes, SignEngine engine, ISignatureVerifier verifier, string what)
    {
        if (!DeltaSuperblock.IsSigned(bytes)) throw new SigningException("no signatures in static-delta");
        byte[] signedData;
        VariantDictionary metadata;
        try
        {
            var r = new GVariantReader(bytes, Format);
            signedData = r.Member(1).GetBytes().ToArray();
            metadata = VariantDictionary.Read(r.Member(2));
        }
        catch (Exception e) when (e is GVariantFormatException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            throw new StaticDeltaException($"Invalid signed static delta superblock {what}: {e.Message}");
        }
        if (!metadata.Entries.Any(e => e.Key.StartsWith("ostree.sign.", StringComparison.Ordinal)))
            throw new SigningException("no signatures in static-delta");
        if (metadata[engine.MetadataKey] is not { } list || !list.Type.Equals(GVariantType.ByteArrayArray))
            throw new SigningException($"no signature for '{engine.MetadataKey}' in static-delta superblock");
        return verifier.Verify(signedData, list.Children.Select(c => c.AsBytes()).ToList());
    }
}
