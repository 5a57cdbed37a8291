using System.Globalization;

namespace Arbor.Cli.Output;

/// <summary><c>g_format_size</c> (GLib 2.74): "N byte(s)" below 1000, else "%.1f" and an SI unit after a no-break space.</summary>
internal static class GFormatSize
{
    private static readonly (ulong Factor, string Unit)[] Units =
        [(1000UL, "kB"), (1000UL * 1000, "MB"), (1000UL * 1000 * 1000, "GB"), (1000UL * 1000 * 1000 * 1000, "TB"),
         (1000UL * 1000 * 1000 * 1000 * 1000, "PB"), (1000UL * 1000 * 1000 * 1000 * 1000 * 1000, "EB")];

    public static string Format(ulong size)
    {
        if (size < Units[0].Factor) return size == 1 ? "1 byte" : $"{size} bytes";
        var f = Units[^1];
        for (int i = 1; i < Units.Length; i++)
        {
            if (size < Units[i].Factor) { f = Units[i - 1]; break; }
        }
        double value = (double)size / f.Factor;
        return value.ToString("F1", CultureInfo.InvariantCulture) + "\u00A0" + f.Unit;
    }
}
