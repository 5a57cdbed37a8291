using System.Net;
using System.Threading.Channels;
using Tmds.DBus.Protocol;

namespace Arbor.Repo.Finders.Lan;

/// <summary>
/// Browses the local network for <c>_ostree_repo._tcp</c> services through avahi-daemon's D-Bus API
/// (<c>org.freedesktop.Avahi</c> on the system bus), as ostree's avahi-client does: a
/// <c>ServiceBrowser</c> whose <c>ItemNew</c> signals are each resolved (<c>ResolveService</c>) and
/// whose <c>ItemRemove</c> drops a name again; the services are complete once the browser has sent
/// <c>AllForNow</c> and every resolution has ended. A resolution that fails is reported and skipped.
/// </summary>
public sealed class AvahiBrowser : IDisposable
{
    private const string Bus = "org.freedesktop.Avahi";
    private const string ServerInterface = "org.freedesktop.Avahi.Server";
    private const string BrowserInterface = "org.freedesktop.Avahi.ServiceBrowser";
    private const int IfUnspec = -1, ProtoUnspec = -1, ProtoInet6 = 1;

    private abstract record Event;
    private sealed record BrowserSignal(string Path, string Member, int Interface, int Protocol, string Name, string Type, string Domain, string? Error) : Event;
    private sealed record Resolved(long Id, string Name, AvahiService? Service, string? Error) : Event;

    private readonly DBusConnection _connection;
    private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>();
    private string _path = "";

    private AvahiBrowser(DBusConnection connection) => _connection = connection;

    /// <summary>
    /// <c>ostree_repo_finder_avahi_start</c>: connects to the system bus (<c>DBUS_SYSTEM_BUS_ADDRESS</c>,
    /// else <c>/var/run/dbus/system_bus_socket</c>) and starts browsing. Throws <see cref="AvahiException"/>.
    /// </summary>
    public static async Task<AvahiBrowser> StartAsync(string serviceType, CancellationToken ct)
    {
        var address = DBusAddress.System ?? throw AvahiException.NoDaemon();
        var connection = new DBusConnection(address);
        var browser = new AvahiBrowser(connection);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);
            if (!await browser.NameHasOwnerAsync(Bus).WaitAsync(ct).ConfigureAwait(false)) throw AvahiException.NoDaemon();
            // subscribe before creating the browser: it may signal before its path is known
            var rule = new MatchRule { Type = MessageType.Signal, Interface = BrowserInterface };
            await connection.AddMatchAsync(rule, static (m, _) => ReadBrowserSignal(m),
                n => { if (n.HasValue) browser._events.Writer.TryWrite(n.Value); },
                emitOnCapturedContext: false, ObserverFlags.None, null).AsTask().WaitAsync(ct).ConfigureAwait(false);
            browser._path = await browser.NewServiceBrowserAsync(serviceType).WaitAsync(ct).ConfigureAwait(false);
            return browser;
        }
        catch (DBusConnectFailedException)
        {
            browser.Dispose();
            throw AvahiException.NoDaemon();
        }
        catch (DBusErrorReplyException e)
        {
            browser.Dispose();
            throw new AvahiException($"Failed to create service browser: {e.ErrorMessage}");
        }
        catch (Exception e) when (e is DBusExceptionBase or IOException)
        {
            browser.Dispose();
            throw new AvahiException($"Failed to create finder client: {e.Message}");
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>The services found, once the browser has listed all it knows and each is resolved; a failing resolution goes to <paramref name="warn"/>.</summary>
    public async Task<List<AvahiService>> CollectAsync(Action<string> warn, CancellationToken ct)
    {
        var found = new List<AvahiService>();
        var pending = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal); // name → resolutions running
        long nextId = 0;
        bool allForNow = false;
        while (!allForNow || pending.Count > 0)
        {
            var ev = await _events.Reader.ReadAsync(ct).ConfigureAwait(false);
            switch (ev)
            {
                case BrowserSignal s when s.Path != _path:
                    break;
                case BrowserSignal { Member: "ItemNew" } s:
                    long id = nextId++;
                    if (!pending.TryGetValue(s.Name, out var ids)) pending[s.Name] = ids = [];
                    ids.Add(id);
                    _ = ResolveAsync(id, s);
                    break;
                case BrowserSignal { Member: "ItemRemove" } s:
                    pending.Remove(s.Name);
                    found.RemoveAll(f => f.Name == s.Name);
                    break;
                case BrowserSignal { Member: "AllForNow" }:
                    allForNow = true;
                    break;
                case BrowserSignal { Member: "Failure" } s:
                    throw new AvahiException($"Avahi browser error: {s.Error}");
                case Resolved r:
                    // a name removed meanwhile is forgotten, its late resolutions with it
                    if (!pending.TryGetValue(r.Name, out var running) || !running.Remove(r.Id)) break;
                    if (running.Count == 0) pending.Remove(r.Name);
                    if (r.Service is not null) found.Add(r.Service);
                    else warn($"Failed to resolve service ‘{r.Name}’: {r.Error}");
                    break;
            }
        }
        return found;
    }

    private async Task ResolveAsync(long id, BrowserSignal item)
    {
        Resolved result;
        try
        {
            var service = await ResolveServiceAsync(item).ConfigureAwait(false);
            result = new Resolved(id, item.Name, service, null);
        }
        catch (DBusErrorReplyException e)
        {
            result = new Resolved(id, item.Name, null, e.ErrorMessage);
        }
        catch (Exception e) when (e is DBusExceptionBase or IOException or ObjectDisposedException)
        {
            result = new Resolved(id, item.Name, null, e.Message);
        }
        _events.Writer.TryWrite(result);
    }

    private static BrowserSignal ReadBrowserSignal(Message m)
    {
        var member = m.MemberAsString ?? "";
        var path = m.PathAsString ?? "";
        var reader = m.GetBodyReader();
        switch (member)
        {
            case "ItemNew" or "ItemRemove": // (iisssu)
                int iface = reader.ReadInt32(), protocol = reader.ReadInt32();
                string name = reader.ReadString(), type = reader.ReadString(), domain = reader.ReadString();
                return new BrowserSignal(path, member, iface, protocol, name, type, domain, null);
            case "Failure": // (s)
                return new BrowserSignal(path, member, IfUnspec, ProtoUnspec, "", "", "", reader.ReadString());
            default: // AllForNow, CacheExhausted
                return new BrowserSignal(path, member, IfUnspec, ProtoUnspec, "", "", "", null);
        }
    }

    private Task<bool> NameHasOwnerAsync(string name)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s");
        writer.WriteString(name);
        return _connection.CallMethodAsync(writer.CreateMessage(), static (m, _) => m.GetBodyReader().ReadBool(), null);
    }

    private Task<string> NewServiceBrowserAsync(string serviceType)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Bus, "/", ServerInterface, "ServiceBrowserNew", "iissu");
        writer.WriteInt32(IfUnspec);
        writer.WriteInt32(ProtoUnspec);
        writer.WriteString(serviceType);
        writer.WriteString(""); // the default domain
        writer.WriteUInt32(0);
        return _connection.CallMethodAsync(writer.CreateMessage(), static (m, _) => m.GetBodyReader().ReadObjectPathAsString(), null);
    }

    /// <summary><c>ResolveService</c> on the interface and protocol the service was seen on, any address protocol.</summary>
    private Task<AvahiService> ResolveServiceAsync(BrowserSignal item)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteMethodCallHeader(Bus, "/", ServerInterface, "ResolveService", "iisssiu");
        writer.WriteInt32(item.Interface);
        writer.WriteInt32(item.Protocol);
        writer.WriteString(item.Name);
        writer.WriteString(item.Type);
        writer.WriteString(item.Domain);
        writer.WriteInt32(ProtoUnspec);
        writer.WriteUInt32(0);
        return _connection.CallMethodAsync(writer.CreateMessage(), static (m, _) => ReadResolved(m), null);
    }

    /// <summary>The reply (iisssisqaayu): interface, protocol, name, type, domain, host, address protocol, address, port, TXT, flags.</summary>
    private static AvahiService ReadResolved(Message m)
    {
        var reader = m.GetBodyReader();
        int iface = reader.ReadInt32();
        reader.ReadInt32();
        string name = reader.ReadString();
        reader.ReadString();
        string domain = reader.ReadString();
        reader.ReadString();
        int addressProtocol = reader.ReadInt32();
        string address = reader.ReadString();
        ushort port = reader.ReadUInt16();
        var txt = new List<byte[]>();
        var end = reader.ReadArrayStart(DBusType.Array);
        while (reader.HasNext(end)) txt.Add(reader.ReadArrayOfByte());
        return new AvahiService(name, domain, ScopedAddress(address, addressProtocol, iface), port, txt);
    }

    /// <summary><c>address_to_string</c>: an IPv6 link-local or loopback address gets its interface as a scope.</summary>
    internal static string ScopedAddress(string address, int protocol, int iface) =>
        protocol == ProtoInet6 && IPAddress.TryParse(address, out var ip) && (ip.IsIPv6LinkLocal || IPAddress.IsLoopback(ip))
            ? $"{address}%{iface}"
            : address;

    public void Dispose() => _connection.Dispose();
}
