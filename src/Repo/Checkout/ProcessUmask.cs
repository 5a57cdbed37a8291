
namespace Arbor.Repo.Checkout;

/// <summary>The process umask, read once from /proc/self/status (reading it through umask(2) would briefly change it for every thread).</summary>
internal static class ProcessUmask
{
    private static readonly Lazy<uint> Lazy = new(Read);

    public static uint Value => Lazy.Value;

    private static uint Read()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                    return Convert.ToUInt32(line["Umask:".Length..].Trim(), 8);
        }
        catch (IOException)
        {
            // no procfs: assume the most restrictive umask, so creation modes are always fixed up afterwards
        }
        return 0x1FF; // 0777
    }
}
