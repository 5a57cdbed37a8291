namespace Arbor.Deploy.IO;

/// <summary>The running kernel's command line, for <c>--karg-proc-cmdline</c> and <c>instutil set-kargs --import-proc-cmdline</c>.</summary>
public static class ProcCmdline
{
    public static string Read()
    {
        try { return File.ReadAllText("/proc/cmdline"); }
        catch (IOException e) { throw new DeployException($"Reading /proc/cmdline: {e.Message}"); }
    }
}
