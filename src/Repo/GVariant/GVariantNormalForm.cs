namespace Arbor.Repo.GVariant;

/// <summary>
/// Normal-form check: data is in normal form iff it decodes and re-serializes to exactly the
/// same bytes (gvariant.md §6). OSTree rejects metadata objects that are not.
/// </summary>
public static class GVariantNormalForm
{
    public static bool IsNormal(ReadOnlySpan<byte> data, GVariantType type)
    {
        try
        {
            var value = GVariantValue.Deserialize(data, type);
            return value.Serialize().AsSpan().SequenceEqual(data);
        }
        catch (GVariantFormatException)
        {
            return false;
        }
    }

    /// <summary>Throws "Not normal form" (ostree's wording) when the data is not.</summary>
    public static GVariantValue Validate(ReadOnlySpan<byte> data, GVariantType type, string what)
    {
        GVariantValue value;
        try
        {
            value = GVariantValue.Deserialize(data, type);
        }
        catch (GVariantFormatException e)
        {
            throw new GVariantFormatException($"{what}: Not normal form ({e.Message})");
        }
        if (!value.Serialize().AsSpan().SequenceEqual(data))
            throw new GVariantFormatException($"{what}: Not normal form");
        return value;
    }
}
