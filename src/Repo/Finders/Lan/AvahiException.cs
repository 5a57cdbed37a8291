using Arbor.Repo.Core;

namespace Arbor.Repo.Finders.Lan;

/// <summary>The LAN finder cannot browse: no avahi-daemon (<see cref="DaemonNotRunning"/>), or it refused.</summary>
public sealed class AvahiException(string message, bool daemonNotRunning = false) : ArborException(message)
{
    /// <summary>ostree's <c>G_IO_ERROR_NOT_FOUND</c> case: no system bus, or no avahi-daemon on it.</summary>
    public bool DaemonNotRunning { get; } = daemonNotRunning;

    /// <summary>avahi-client's <c>AVAHI_ERR_NO_DAEMON</c>, as ostree words it.</summary>
    public static AvahiException NoDaemon() => new("Avahi daemon is not running: Daemon not running", daemonNotRunning: true);
}
