namespace Arbor.TestKit;

/// <summary>Tests that need root (mounts, chown, immutable flags) fail loudly without it rather than skip: CI runs as root.</summary>
public static class Privileged
{
    public static bool IsRoot => Environment.UserName == "root" || GetEuid() == 0;

    public static void RequireRoot()
    {
        if (!IsRoot) throw new Xunit.Sdk.XunitException("this test needs root (private mount namespaces, chown); run the tests as root as CI does");
    }

    private static uint GetEuid()
    {
        // /proc/self/status "Uid:\treal\teffective\t…"
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
                return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
        return uint.MaxValue;
    }
}
