namespace Arbor.TestKit;

/// <summary>
/// A tmpfs in a private mount namespace, for tests that run the real <c>ostree admin deploy</c>
/// (which freezes the filesystem holding /boot: never the host's) or need mounts. A
/// <see cref="NamespaceHolder"/> mounts the tmpfs and holds the namespace; this process reaches the
/// same files through <c>/proc/PID/root</c>, so in-process arbor code works on them directly.
/// </summary>
public sealed class ScratchNamespace : IDisposable
{
    private readonly NamespaceHolder _holder;
    private readonly string _hostDir;

    /// <summary>The tmpfs mount point as seen inside the namespace (use it in command lines run there).</summary>
    public string Inner { get; }

    /// <summary>The same directory as this process sees it (for File.* and in-process arbor).</summary>
    public string Path => _holder.HostPath(Inner);

    public int Pid => _holder.Pid;

    public ScratchNamespace(int sizeMb = 256)
    {
        Privileged.RequireRoot();
        var root = Environment.GetEnvironmentVariable("ARBOR_TEST_TMP") ?? "/var/tmp";
        _hostDir = System.IO.Path.Combine(root, $"arbor-ns-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(_hostDir);
        Inner = _hostDir;
        try
        {
            _holder = NamespaceHolder.Start("mount -t tmpfs -o size=\"$1\"m,mode=0755 arbor-scratch \"$2\"", "set up a private tmpfs",
                sizeMb.ToString(System.Globalization.CultureInfo.InvariantCulture), _hostDir);
        }
        catch
        {
            Directory.Delete(_hostDir);
            throw;
        }
    }

    /// <summary>Joins paths under the tmpfs as this process sees them.</summary>
    public string HostPath(string relative) => System.IO.Path.Join(Path, relative);

    /// <summary>Joins paths under the tmpfs as commands inside the namespace see them.</summary>
    public string InnerPath(string relative) => System.IO.Path.Join(Inner, relative);

    /// <summary>Runs a program inside the namespace.</summary>
    public CliResult Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null) => _holder.Run(file, args, env);

    public CliResult Ostree(params string[] args) => Run("/usr/bin/ostree", args);

    public string OstreeOk(params string[] args)
    {
        var r = Ostree(args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"ostree {string.Join(' ', args)} failed:\n{r}");
        return r.Stdout;
    }

    public void Dispose()
    {
        _holder.Dispose();
        // the tmpfs went away with the namespace; only the empty mount point is left
        try { Directory.Delete(_hostDir); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
