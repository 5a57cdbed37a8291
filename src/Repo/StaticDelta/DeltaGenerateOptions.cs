namespace Arbor.Repo.StaticDelta;

/// <summary>The knobs of <c>static-delta generate</c>, with ostree 2022.7's defaults (sizes in bytes; ostree's flags give megabytes of 1,000,000 bytes).</summary>
public sealed record DeltaGenerateOptions
{
    public const ulong Megabyte = 1000 * 1000;

    /// <summary>Regular files larger than this are left out of the parts as fallback objects (0: never).</summary>
    public ulong MinFallbackSize { get; init; } = 4 * Megabyte;
    /// <summary>Send a changed file as a bsdiff patch against the FROM file at the same path.</summary>
    public bool BsDiff { get; init; } = true;
    /// <summary>Files larger than this (old or new) are not bsdiff'ed.</summary>
    public ulong MaxBsdiffSize { get; init; } = 128 * Megabyte;
    /// <summary>A new part starts when the next object would take a part's blob past this.</summary>
    public ulong MaxChunkSize { get; init; } = 32 * Megabyte;
    /// <summary>Write the part and fallback headers big-endian (<c>'B'</c>) instead of little-endian.</summary>
    public bool BigEndian { get; init; }
    /// <summary>Carry the parts inside the superblock's metadata instead of as files.</summary>
    public bool InlineParts { get; init; }
    /// <summary>Where to write the superblock (its directory receives the parts); null: the repository's <c>deltas/</c>.</summary>
    public string? Filename { get; init; }
    /// <summary>The creation time written to the superblock; null: now.</summary>
    public DateTimeOffset? Now { get; init; }
    /// <summary>The engine that signs the superblock (with <see cref="SignKeys"/>).</summary>
    public Signing.SignEngine SignEngine { get; init; } = Signing.SignEngine.Ed25519;
    /// <summary>Secret keys to sign the superblock with (a signed <c>OSTSGNDT</c> wrapper); null: unsigned.</summary>
    public IReadOnlyList<string>? SignKeys { get; init; }
    /// <summary>The xz preset of the parts (ostree: 8).</summary>
    public uint XzPreset { get; init; } = 8;
    /// <summary>Told how far the parts are (the first object at once, then at most five times a second).</summary>
    public IProgress<Progress.DeltaGenerateProgress>? Progress { get; init; }
}
