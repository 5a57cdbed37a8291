using System.ComponentModel;
using System.Diagnostics;
using Arbor.Deploy;

namespace Arbor.Cli.Common;

/// <summary><c>--reboot</c> of <c>admin upgrade</c> and <c>admin switch</c>: hands over to <c>systemctl reboot</c>, as ostree does.</summary>
internal static class SystemReboot
{
    /// <returns>systemctl's exit code.</returns>
    public static int Run()
    {
        var psi = new ProcessStartInfo("systemctl") { UseShellExecute = false };
        psi.ArgumentList.Add("reboot");
        try
        {
            using var p = Process.Start(psi) ?? throw new DeployException("execve(systemctl reboot): failed to start");
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (Win32Exception e) { throw new DeployException($"execve(systemctl reboot): {e.Message}"); }
    }
}
