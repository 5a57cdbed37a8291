using System.Diagnostics;
using System.Globalization;

namespace Arbor.TestKit;

/// <summary>
/// A private local network for the LAN finder: a network and mount namespace (<c>unshare -n -m</c>)
/// with <c>lo</c> and a veth pair up (<c>arbor0</c>, multicast, <see cref="Address"/>), a tmpfs over
/// <c>/run</c>, and, as asked, a system bus (<c>dbus-daemon</c> on <c>/run/dbus/system_bus_socket</c>),
/// an <c>avahi-daemon</c> on <c>arbor0</c> and an nginx serving a directory on port
/// <see cref="HttpPort"/>. Commands run inside with <see cref="Run"/>; this process reaches the bus
/// through <see cref="BusAddress"/>. Dispose stops the daemons (by their PIDs) and the namespace.
/// </summary>
/// <remarks>
/// The kernel here may lack the dummy link type, so the interface is one end of a veth pair whose
/// other end is up too (a carrier for avahi). Needs root, dbus-daemon and avahi-daemon (.ci/run installs them).
/// </remarks>
public sealed class LanNetwork : IDisposable
{
    public const string Address = "10.77.0.1";
    public const int HttpPort = 8080;
    private static readonly string[] Daemons = ["nginx", "avahi", "dbus"];

    public enum Services { None, Bus, BusAndAvahi }

    private const string Setup = """
        set -e
        ip link set lo up
        ip link add arbor0 type veth peer name arbor1
        ip link set arbor1 up
        ip link set arbor0 multicast on
        ip addr add 10.77.0.1/24 dev arbor0
        ip link set arbor0 up
        mount -t tmpfs -o mode=0755 arbor-run /run
        mkdir -p /run/dbus /run/avahi-daemon
        if [ "$2" != None ]; then
          dbus-daemon --config-file="$1/bus.conf" --nofork --nopidfile >"$1/dbus.log" 2>&1 &
          echo $! >"$1/dbus.pid"
          i=0; while [ ! -S /run/dbus/system_bus_socket ]; do i=$((i+1)); [ $i -lt 200 ]; sleep 0.05; done
        fi
        if [ "$2" = BusAndAvahi ]; then
          avahi-daemon -f "$1/avahi.conf" --no-drop-root --no-chroot --no-rlimits >"$1/avahi.log" 2>&1 &
          echo $! >"$1/avahi.pid"
          i=0; until grep -q 'Server startup complete' "$1/avahi.log"; do i=$((i+1)); [ $i -lt 400 ]; sleep 0.05; done
        fi
        if [ -n "$3" ]; then
          nginx -c "$1/nginx.conf" -p "$1" -e "$1/nginx.err" &
          echo $! >"$1/nginx.pid"
          i=0; until curl -s -o /dev/null http://127.0.0.1:8080/; do i=$((i+1)); [ $i -lt 200 ]; sleep 0.05; done
        fi
        true
        """;

    private const string BusConfig = """
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>system</type>
          <listen>unix:path=/run/dbus/system_bus_socket</listen>
          <auth>EXTERNAL</auth>
          <policy context="default">
            <allow user="*"/>
            <allow own="*"/>
            <allow send_type="method_call"/>
            <allow send_type="signal"/>
            <allow send_type="method_return"/>
            <allow send_type="error"/>
            <allow receive_type="method_call"/>
            <allow receive_type="signal"/>
            <allow receive_type="method_return"/>
            <allow receive_type="error"/>
          </policy>
        </busconfig>
        """;

    private const string AvahiConfig = """
        [server]
        use-ipv4=yes
        use-ipv6=no
        allow-interfaces=arbor0
        ratelimit-interval-usec=1000000
        ratelimit-burst=1000
        [wide-area]
        enable-wide-area=no
        [publish]
        publish-hinfo=no
        publish-workstation=no
        publish-aaaa-on-ipv4=no
        """;

    private readonly string _dir;
    private readonly NamespaceHolder _holder;

    /// <param name="dir">An empty directory for the daemons' configs, logs and PID files.</param>
    /// <param name="services">What runs on the network.</param>
    /// <param name="wwwRoot">A directory nginx serves on <see cref="HttpPort"/>, or null for none.</param>
    public LanNetwork(string dir, Services services, string? wwwRoot = null)
    {
        Privileged.RequireRoot();
        foreach (var tool in new[] { "/usr/bin/dbus-daemon", "/usr/sbin/avahi-daemon", NginxServer.Binary, "/usr/bin/curl" })
            if (!File.Exists(tool)) throw new Xunit.Sdk.XunitException($"{tool} is not installed (apt-get install dbus avahi-daemon nginx-light curl); .ci/run installs it");
        _dir = dir;
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "bus.conf"), BusConfig);
        File.WriteAllText(Path.Combine(dir, "avahi.conf"), AvahiConfig);
        if (wwwRoot is not null) NginxServer.WriteConfig(dir, wwwRoot, $"{HttpPort}");
        try
        {
            _holder = NamespaceHolder.StartNetworked(Setup, "set up a private network with avahi-daemon", dir, services.ToString(), wwwRoot ?? "");
        }
        catch
        {
            StopDaemons(); // those the set-up started before it failed
            throw;
        }
    }

    /// <summary>The system bus as this process reaches it (through the namespace's root).</summary>
    public string BusAddress => $"unix:path=/proc/{_holder.Pid}/root/run/dbus/system_bus_socket";

    /// <summary>The URL of a directory nginx serves, as the network's members see it.</summary>
    public static string Url(string relative) => $"http://{Address}:{HttpPort}/{relative}";

    /// <summary>Runs a program on the network (in the namespaces).</summary>
    public CliResult Run(string file, params string[] args) => _holder.Run(file, args);

    public void Dispose()
    {
        StopDaemons();
        _holder.Dispose();
    }

    private void StopDaemons()
    {
        foreach (var daemon in Daemons)
        {
            var pidFile = Path.Combine(_dir, daemon + ".pid");
            if (!File.Exists(pidFile)) continue;
            try
            {
                using var p = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture));
                p.Kill(); // no wait: the daemon stays a zombie until the holder, its parent, is gone
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException) { /* already gone */ }
        }
    }
}
