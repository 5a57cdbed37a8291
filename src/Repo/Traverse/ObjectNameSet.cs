using Arbor.Repo.Core;

namespace Arbor.Repo.Traverse;

/// <summary>
/// A set of object names that keeps 16 bytes of each checksum (with the type folded into the last
/// bits) instead of the whole name: about 28 bytes an object rather than 56, which is what keeps a
/// walk over a 200,000-file tree small. Two different objects would have to share a 128-bit prefix
/// to be confused, far beyond what anyone can construct for SHA-256.
/// </summary>
public sealed class ObjectNameSet
{
    private readonly HashSet<Key> _set = new();

    public int Count => _set.Count;

    /// <summary>Adds <paramref name="name"/>; false when it was already there.</summary>
    public bool Add(ObjectName name) => _set.Add(KeyOf(name));

    public bool Contains(ObjectName name) => _set.Contains(KeyOf(name));

    /// <summary>Removes <paramref name="name"/>; false when it was not there.</summary>
    public bool Remove(ObjectName name) => _set.Remove(KeyOf(name));

    private static Key KeyOf(ObjectName name)
    {
        var (high, low) = name.Checksum.Prefix128;
        return new Key(high, low ^ (byte)name.Type);
    }

    private readonly struct Key(ulong high, ulong low) : IEquatable<Key>
    {
        private readonly ulong _high = high, _low = low;

        public bool Equals(Key other) => _high == other._high && _low == other._low;
        public override bool Equals(object? obj) => obj is Key k && Equals(k);
        // the words come from SHA-256: any of their bits hash well
        public override int GetHashCode() => (int)_high ^ (int)(_high >> 32);
    }
}
