namespace Arbor.TestKit;

/// <summary>A per-test scratch directory under /var/tmp (xattr-capable), removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; }

    public TempDirectory(string? prefix = null)
    {
        var root = Environment.GetEnvironmentVariable("ARBOR_TEST_TMP") ?? "/var/tmp";
        Path = System.IO.Path.Combine(root, $"arbor-test-{prefix ?? "t"}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(Path);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Remove(Path);

    /// <summary>Removes a tree even when it holds immutable directories or read-only modes.</summary>
    public static void Remove(string path)
    {
        if (!Directory.Exists(path)) return;
        try
        {
            Directory.Delete(path, recursive: true);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // fall back to chattr -i and chmod, then retry
        }
        Run("chattr", "-R", "-i", path);
        Run("chmod", "-R", "u+rwx", path);
        try { Directory.Delete(path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Run("rm", "-rf", path); }
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit();
    }
}
