using Arbor.Repo.Config;
using Arbor.Repo.Core;

namespace Arbor.Repo.Store;

/// <summary>
/// The space a transaction leaves free for others: <c>core.min-free-space-percent</c> of the
/// filesystem (3 when neither key is set) or <c>core.min-free-space-size</c> (which wins when both
/// are set and non-zero), parsed and validated as ostree 2022.7's reload_core_config does.
/// Zero in both disables the check.
/// </summary>
/// <param name="Percent">Percent of the filesystem's size (0–99).</param>
/// <param name="SizeMb">Mebibytes (a "GB" value is stored ×1024, a "TB" value ×1024²).</param>
public readonly record struct MinFreeSpace(uint Percent, ulong SizeMb)
{
    public const string PercentKey = "min-free-space-percent";
    public const string SizeKey = "min-free-space-size";
    public const uint DefaultPercent = 3;

    /// <summary>The largest size in MB whose byte count fits 64 bits (G_MAXUINT64 &gt;&gt; 20).</summary>
    public const ulong MaxSizeMb = ulong.MaxValue >> 20;

    public bool Enabled => Percent > 0 || SizeMb > 0;

    /// <summary>Reads both keys of the <c>[core]</c> group; throws <see cref="RepoException"/> with ostree's wording for an invalid value.</summary>
    public static MinFreeSpace FromConfig(KeyFile config)
    {
        var size = config.GetValue(RepoConfig.CoreGroup, SizeKey);
        var percentText = config.GetValue(RepoConfig.CoreGroup, PercentKey);
        ulong sizeMb = 0;
        if (size is not null)
        {
            try { sizeMb = ParseSizeMb(size); }
            catch (RepoException e) { throw new RepoException($"Invalid {SizeKey} '{size}': {e.Message}"); }
        }
        uint percent;
        if (percentText is not null)
        {
            percent = ParsePercent(percentText);
            if (percent > 99) throw new RepoException($"Invalid {PercentKey} '{percentText}'");
        }
        else percent = size is null ? DefaultPercent : 0;
        return percent != 0 && sizeMb != 0 ? new MinFreeSpace(0, sizeMb) : new MinFreeSpace(percent, sizeMb);
    }

    /// <summary><c>^([0-9]+)(G|M|T)B$</c> in MB. Too many digits saturate (as g_ascii_strtoull does): such an
    /// "MB" value passes here and fails when a transaction computes its bytes, a "GB"/"TB" one fails here.</summary>
    public static ulong ParseSizeMb(string value)
    {
        int digits = 0;
        while (digits < value.Length && char.IsAsciiDigit(value[digits])) digits++;
        if (digits == 0 || value.Length != digits + 2 || value[^1] != 'B' || value[digits] is not ('M' or 'G' or 'T'))
            throw new RepoException("It should be of the format '123MB', '123GB' or '123TB'");
        int shifts = value[digits] switch { 'G' => 10, 'T' => 20, _ => 0 };
        ulong number = GAsciiNumber.ToUInt64(value.AsSpan(0, digits));
        if (shifts > 0 && number >> (64 - shifts) != 0) throw new RepoException("Value was too high");
        return number << shifts;
    }

    /// <summary>
    /// The percent as ostree reads it: g_ascii_strtoull (leading blanks and a sign allowed, parsing stops at
    /// the first non-digit, so "abc" is 0 and "3%" is 3; a minus negates modulo 2⁶⁴; overflow saturates)
    /// stored in a 32-bit unsigned.
    /// </summary>
    public static uint ParsePercent(string value) => unchecked((uint)GAsciiNumber.ToUInt64(value));

    /// <summary>The bytes to keep free on a filesystem of <paramref name="blocks"/> × <paramref name="fragmentSize"/>
    /// bytes (ostree_repo_get_min_free_space_bytes).</summary>
    public ulong ReservedBytes(ulong fragmentSize, ulong blocks)
    {
        const string prefix = "Error calculating min-free-space bytes: ";
        if (SizeMb > 0)
        {
            if (SizeMb > MaxSizeMb)
                throw new RepoException($"{prefix}min-free-space value is greater than the maximum allowed value of {MaxSizeMb} bytes");
            return SizeMb << 20;
        }
        if (Percent == 0) return 0;
        if (blocks > 0 && fragmentSize > ulong.MaxValue / blocks)
            throw new RepoException($"{prefix}Filesystem's size is greater than the maximum allowed value of {ulong.MaxValue / blocks} bytes");
        return (ulong)((double)(fragmentSize * blocks) * (Percent / 100.0));
    }

    /// <summary>ostree's throw_min_free_space_error text (after the caller's prefix).</summary>
    public string ExceededMessage(ulong bytesRequired)
    {
        var what = bytesRequired > 0 ? $"would be exceeded, at least {SizeFormat.Format(bytesRequired)} requested" : "would be exceeded";
        return SizeMb > 0 ? $"{SizeKey} {SizeMb}MB {what}" : $"{PercentKey} '{Percent}%' {what}";
    }
}
