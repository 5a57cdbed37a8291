using System.Text;

namespace Arbor.Boot;

/// <summary>
/// Where the boot stage reports: the kernel log (<c>/dev/kmsg</c>, which reaches the console and later
/// the journal) when it can be opened, else stderr. Errors also go to stderr, so that the emergency
/// shell or systemd's <c>StandardError=journal+console</c> shows them. <c>ARBOR_BOOT_LOG=stderr</c>
/// keeps tests off the host's kernel log.
/// </summary>
internal sealed class BootLog : IDisposable
{
    public const string KmsgPath = "/dev/kmsg";
    public const string EnvironmentVariable = "ARBOR_BOOT_LOG";

    private readonly string _tag;
    private readonly FileStream? _kmsg;
    private readonly TextWriter _stderr;
    private readonly bool _verbose;

    private BootLog(string tag, FileStream? kmsg, TextWriter stderr, bool verbose)
    {
        _tag = tag;
        _kmsg = kmsg;
        _stderr = stderr;
        _verbose = verbose;
    }

    public static BootLog Open(string tag, TextWriter stderr, bool verbose)
    {
        FileStream? kmsg = null;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) != "stderr")
        {
            try { kmsg = new FileStream(KmsgPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { kmsg = null; }
        }
        return new BootLog(tag, kmsg, stderr, verbose);
    }

    public static BootLog ToStderr(string tag, TextWriter stderr, bool verbose = false) => new(tag, null, stderr, verbose);

    /// <summary>Whether <see cref="Debug"/> writes anything (build the message only then).</summary>
    public bool Verbose => _verbose;

    /// <summary>Each step as it runs; only with --verbose.</summary>
    public void Debug(string message)
    {
        if (_verbose) Write(7, message, alsoStderr: false);
    }

    public void Info(string message) => Write(6, message, alsoStderr: false);

    public void Warning(string message) => Write(4, message, alsoStderr: false);

    public void Error(string message) => Write(3, message, alsoStderr: true);

    private void Write(int level, string message, bool alsoStderr)
    {
        // string.Concat only, no interpolation of numbers: see StandardStreams on why the boot path
        // stays off ArrayPool (its first use seeds a random generator from the kernel's pool)
        var line = _tag + ": " + message;
        if (_kmsg is not null)
        {
            try
            {
                // one write(2) per record: "<level>tag: text"
                _kmsg.Write(Encoding.UTF8.GetBytes(Priority(level) + line + "\n"));
                _kmsg.Flush();
            }
            catch (IOException) { alsoStderr = true; }
        }
        if (_kmsg is null || alsoStderr)
        {
            _stderr.WriteLine(line);
            _stderr.Flush();
        }
    }

    private static string Priority(int level) => level switch
    {
        3 => "<3>",
        4 => "<4>",
        6 => "<6>",
        _ => "<7>",
    };

    public void Dispose() => _kmsg?.Dispose();
}
