using System.Diagnostics;

namespace Arbor.TestKit;

/// <summary>Runs an external program (the real ostree, tar, mount ...) and captures its output.</summary>
public static class ProcessRunner
{
    public static CliResult Run(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null, string? stdin = null, int timeoutMs = 300_000)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C.UTF-8";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        if (!p.WaitForExit(timeoutMs))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }
        return new CliResult(p.ExitCode, so.Result, se.Result);
    }

    public static string RunOk(string file, params string[] args)
    {
        var r = Run(file, args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} failed:\n{r}");
        return r.Stdout;
    }
}

/// <summary>The real <c>ostree</c> (Debian 12's 2022.7), the oracle the compatibility tests compare against.</summary>
public static class OstreeOracle
{
    public static bool IsAvailable => File.Exists("/usr/bin/ostree");

    public static CliResult Run(params string[] args) => ProcessRunner.Run("/usr/bin/ostree", args);

    public static string RunOk(params string[] args) => ProcessRunner.RunOk("/usr/bin/ostree", args);

    /// <summary>Fails (never skips) when ostree is missing: CI installs it, and an oracle test must not pass silently.</summary>
    public static void Require()
    {
        if (!IsAvailable) throw new Xunit.Sdk.XunitException("the real ostree is not installed (apt-get install ostree); .ci/run installs it");
    }
}
