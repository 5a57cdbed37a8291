using System.Globalization;

namespace Arbor.Repo.Core;

/// <summary>
/// Sizes as GLib's g_format_size prints them (ostree's "Deleted 3 objects, 73.3 kB freed"):
/// SI units, one decimal, a no-break space before the unit, plain "N bytes" below 1000.
/// </summary>
public static class SizeFormat
{
    private static readonly (ulong Factor, string Unit)[] Units =
    [
        (1000UL, "kB"),
        (1000UL * 1000, "MB"),
        (1000UL * 1000 * 1000, "GB"),
        (1000UL * 1000 * 1000 * 1000, "TB"),
        (1000UL * 1000 * 1000 * 1000 * 1000, "PB"),
        (1000UL * 1000 * 1000 * 1000 * 1000 * 1000, "EB"),
    ];

    public static string Format(ulong size)
    {
        if (size < Units[0].Factor) return size == 1 ? "1 byte" : $"{size} bytes";
        var (factor, unit) = Units[^1];
        for (int i = 1; i < Units.Length; i++)
        {
            if (size < Units[i].Factor)
            {
                (factor, unit) = Units[i - 1];
                break;
            }
        }
        // .NET formats doubles exactly, rounding ties to even, as glibc's printf("%.1f") does
        var value = ((double)size / factor).ToString("F1", CultureInfo.InvariantCulture);
        return $"{value}\u00A0{unit}";
    }
}
