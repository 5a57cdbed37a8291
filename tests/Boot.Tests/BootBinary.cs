using Arbor.TestKit;

namespace Arbor.Boot.Tests;

/// <summary>
/// The published, statically linked <c>artifacts/boot/arbor-prepare-root</c> that the privileged and VM
/// tests run (never the JIT build: what boots is the AOT binary). Published once by scripts/build-boot.sh
/// when missing or older than the sources; <c>ARBOR_BOOT_BINARY</c> points at another build.
/// </summary>
internal static class BootBinary
{
    private static readonly Lazy<string> PathLazy = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => PathLazy.Value;

    /// <summary>Debian's ostree-prepare-root (package ostree-boot): the oracle for mount tables.</summary>
    public const string OstreePrepareRoot = "/usr/lib/ostree/ostree-prepare-root";
    public const string OstreeRemount = "/usr/lib/ostree/ostree-remount";

    public static void RequireOstreeBoot()
    {
        if (!File.Exists(OstreePrepareRoot) || !File.Exists(OstreeRemount))
            throw new Xunit.Sdk.XunitException($"{OstreePrepareRoot} is missing: apt-get install ostree-boot (scripts/setup.sh)");
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("ARBOR_BOOT_BINARY") is { Length: > 0 } env) return env;
        var root = System.IO.Path.GetDirectoryName(Fixtures.Root)!;
        var binary = System.IO.Path.Combine(root, "artifacts/boot/arbor-prepare-root");
        if (!File.Exists(binary) || NewestSource(root) > File.GetLastWriteTimeUtc(binary))
        {
            var r = ProcessRunner.Run(System.IO.Path.Combine(root, "scripts/build-boot.sh"), [], workingDirectory: root, timeoutMs: 900_000);
            if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"scripts/build-boot.sh failed:\n{r}");
        }
        return binary;
    }

    private static DateTime NewestSource(string root)
    {
        var files = Directory.EnumerateFiles(System.IO.Path.Combine(root, "src/Boot"), "*.cs*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(System.IO.Path.Combine(root, "src/Repo/Native"), "*.cs"))
            .Append(System.IO.Path.Combine(root, "src/Repo/Config/KeyFile.cs"));
        return files.Max(File.GetLastWriteTimeUtc);
    }
}
