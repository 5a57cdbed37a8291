using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Arbor.TestKit;

/// <summary>One request as nginx logged it.</summary>
public sealed record AccessLogEntry(string Method, string Path, int Status, long Bytes, string? Range);

/// <summary>
/// A real nginx (Debian's nginx-light) serving a directory on 127.0.0.1 and a free port, started
/// as a non-daemon child process (<c>master_process off</c>: one process, killed on dispose)
/// with a generated config and its own access log, so tests can count the requests a pull made.
/// </summary>
public sealed class NginxServer : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _dir;

    public int Port { get; }
    public string Root { get; }
    public string AccessLogPath => Path.Combine(_dir, "access.log");

    private NginxServer(Process process, string dir, int port, string root)
    {
        _process = process;
        _dir = dir;
        Port = port;
        Root = root;
    }

    /// <summary>Base URL of a directory below the served root, e.g. <c>Url("repo")</c>.</summary>
    public string Url(string relative = "") => $"http://127.0.0.1:{Port}/{relative.TrimStart('/')}";

    /// <summary>Starts nginx serving <paramref name="root"/>; fails (never skips) when nginx is not installed.</summary>
    public static NginxServer Start(string root)
    {
        if (!File.Exists(Binary)) throw new Xunit.Sdk.XunitException("nginx is not installed (apt-get install nginx-light); .ci/run installs it");
        var dir = Path.Combine(Path.GetTempPath(), "arbor-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            WriteConfig(dir, root, $"127.0.0.1:{port}");
            var psi = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", Path.Combine(dir, "nginx.conf"), "-p", dir, "-e", Path.Combine(dir, "error.log") }) psi.ArgumentList.Add(a);
            var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start nginx");
            if (WaitForPort(port, p))
                return new NginxServer(p, dir, port, root);
            try { p.Kill(); } catch (InvalidOperationException) { }
            p.WaitForExit();
            if (attempt >= 5)
            {
                var log = File.Exists(Path.Combine(dir, "error.log")) ? File.ReadAllText(Path.Combine(dir, "error.log")) : "";
                throw new InvalidOperationException($"nginx did not start: {log}");
            }
        }
    }

    /// <summary>Writes <c>DIR/nginx.conf</c> (and its htpasswd): the server this class runs, for <c>nginx -c DIR/nginx.conf -p DIR</c> elsewhere (in another network namespace).</summary>
    public static string WriteConfig(string dir, string root, string listen)
    {
        var path = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(path, Config(dir, root, listen));
        File.WriteAllText(Path.Combine(dir, "htpasswd"), "u:{PLAIN}pw\n");
        return path;
    }

    private static string Config(string dir, string root, string listen) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/error.log;
        events { worker_connections 512; }
        http {
          log_format arbor '$request_method $uri $status $body_bytes_sent "$http_range"';
          access_log {{dir}}/access.log arbor;
          client_body_temp_path {{dir}}/body;
          proxy_temp_path {{dir}}/proxy;
          fastcgi_temp_path {{dir}}/fastcgi;
          uwsgi_temp_path {{dir}}/uwsgi;
          scgi_temp_path {{dir}}/scgi;
          keepalive_requests 100000;
          server {
            listen {{listen}};
            root {{root}};
            # the same tree behind HTTP basic auth, user "u", password "pw"
            location /auth/ {
              alias {{root}}/;
              auth_basic "arbor";
              auth_basic_user_file {{dir}}/htpasswd;
            }
            # the same tree for requests that carry the cookie arbor_session=ok (403 otherwise)
            location /cookie/ {
              alias {{root}}/;
              if ($cookie_arbor_session != "ok") { return 403; }
            }
          }
        }
        """;

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static bool WaitForPort(int port, Process p)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) return false;
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException) { Thread.Sleep(20); }
        }
        return false;
    }

    /// <summary>Every request logged so far.</summary>
    public IReadOnlyList<AccessLogEntry> AccessLog()
    {
        if (!File.Exists(AccessLogPath)) return [];
        var entries = new List<AccessLogEntry>();
        foreach (var line in File.ReadAllLines(AccessLogPath))
        {
            var parts = line.Split(' ', 5);
            if (parts.Length < 5) continue;
            var range = parts[4].Trim('"');
            entries.Add(new AccessLogEntry(parts[0], parts[1], int.Parse(parts[2]), long.Parse(parts[3]), range is "" or "-" ? null : range));
        }
        return entries;
    }

    /// <summary>Forgets the requests logged so far (truncates the log; nginx appends).</summary>
    public void ClearAccessLog()
    {
        if (File.Exists(AccessLogPath)) File.WriteAllText(AccessLogPath, "");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
