using System.Diagnostics;

namespace Arbor.TestKit;

/// <summary>
/// A tmpfs in a private mount namespace, for tests that run the real <c>ostree admin deploy</c>
/// (which freezes the filesystem holding /boot: never the host's) or need mounts. A helper
/// process (<c>unshare -m</c> + <c>mount -t tmpfs</c>, then sleep) holds the namespace; commands
/// run inside it with <c>nsenter</c>, and this process reaches the same files through
/// <c>/proc/PID/root</c>, so in-process arbor code works on them directly. Dispose kills the
/// helper, which unmounts the tmpfs with the namespace.
/// </summary>
public sealed class ScratchNamespace : IDisposable
{
    private readonly Process _holder;
    private readonly string _hostDir;

    /// <summary>The tmpfs mount point as seen inside the namespace (use it in command lines run there).</summary>
    public string Inner { get; }

    /// <summary>The same directory as this process sees it (for File.* and in-process arbor).</summary>
    public string Path => $"/proc/{_holder.Id}/root{Inner}";

    public int Pid => _holder.Id;

    public ScratchNamespace(int sizeMb = 256)
    {
        Privileged.RequireRoot();
        var root = Environment.GetEnvironmentVariable("ARBOR_TEST_TMP") ?? "/var/tmp";
        _hostDir = System.IO.Path.Combine(root, $"arbor-ns-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(_hostDir);
        Inner = _hostDir;
        var psi = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-m", "--propagation", "private", "sh", "-c",
                     "mount -t tmpfs -o size=\"$1\"m,mode=0755 arbor-scratch \"$2\" && echo ready && exec sleep 86400", "sh",
                     sizeMb.ToString(System.Globalization.CultureInfo.InvariantCulture), _hostDir })
            psi.ArgumentList.Add(a);
        _holder = Process.Start(psi) ?? throw new InvalidOperationException("cannot start unshare");
        var line = _holder.StandardOutput.ReadLine();
        if (line != "ready")
        {
            var err = _holder.StandardError.ReadToEnd();
            Dispose();
            throw new InvalidOperationException($"could not set up a private tmpfs: {err}");
        }
    }

    /// <summary>Joins paths under the tmpfs as this process sees them.</summary>
    public string HostPath(string relative) => System.IO.Path.Join(Path, relative);

    /// <summary>Joins paths under the tmpfs as commands inside the namespace see them.</summary>
    public string InnerPath(string relative) => System.IO.Path.Join(Inner, relative);

    /// <summary>Runs a program inside the namespace.</summary>
    public CliResult Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        ProcessRunner.Run("nsenter", ["-t", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "--", file, .. args], env: env);

    public CliResult Ostree(params string[] args) => Run("/usr/bin/ostree", args);

    public string OstreeOk(params string[] args)
    {
        var r = Ostree(args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"ostree {string.Join(' ', args)} failed:\n{r}");
        return r.Stdout;
    }

    public void Dispose()
    {
        try
        {
            if (!_holder.HasExited)
            {
                _holder.Kill();
                _holder.WaitForExit();
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        _holder.Dispose();
        // the tmpfs went away with the namespace; only the empty mount point is left
        try { Directory.Delete(_hostDir); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
