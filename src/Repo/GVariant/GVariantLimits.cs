namespace Arbor.Repo.GVariant;

/// <summary>Bounds that keep hostile input from exhausting the stack or memory (gvariant.md §6).</summary>
public static class GVariantLimits
{
    /// <summary>Maximum container nesting, as GLib's G_VARIANT_MAX_RECURSION_DEPTH.</summary>
    public const int MaxDepth = 128;

    /// <summary>Maximum length of a type string we parse.</summary>
    public const int MaxTypeStringLength = 255;
}
