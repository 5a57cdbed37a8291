using System.Buffers.Binary;
using System.Text;
using Arbor.Repo.Finders.Lan;
using Arbor.Repo.GVariant;
using Arbor.Repo.Refs;
using Tmds.DBus.Protocol;

namespace Arbor.TestKit;

/// <summary>
/// Advertises an ostree repository on a <see cref="LanNetwork"/> as ostree's
/// <c>OstreeRepoFinderAvahi</c> expects (and ostree's own <c>ostree_avahi_service_*</c> publisher
/// did): a <c>_ostree_repo._tcp</c> service published through avahi-daemon's D-Bus
/// <c>EntryGroup</c> API, with binary TXT records. The service lives while this object does.
/// </summary>
public sealed class AvahiPublisher : IDisposable
{
    private const string Bus = "org.freedesktop.Avahi";
    private const int EntryGroupEstablished = 2;
    private readonly DBusConnection _connection;

    private AvahiPublisher(DBusConnection connection) => _connection = connection;

    /// <summary>TXT records for a repository: <c>v</c>=1, a <c>rb</c> bloom filter of the refs, <c>st</c> and <c>ri</c> big-endian, each a serialized GVariant.</summary>
    public static List<byte[]> Records(IEnumerable<CollectionRef> refs, ulong summaryTimestamp, ushort repoIndex,
        int bloomBytes = 64, byte k = 3, byte version = 1, byte hashId = RefBloom.CollectionRefHashId)
    {
        var bloom = new RefBloom(new byte[bloomBytes], k);
        foreach (var r in refs) bloom.Add(r);
        return
        [
            Record("v", GVariantValue.Byte(version).Serialize()),
            Record("rb", GVariantValue.Tuple(GVariantValue.Byte(k), GVariantValue.Byte(hashId), GVariantValue.Bytes(bloom.Bits)).Serialize()),
            Record("st", GVariantValue.UInt64(BinaryPrimitives.ReverseEndianness(summaryTimestamp)).Serialize()),
            Record("ri", GVariantValue.Number(GVariantType.Parse("q"), BinaryPrimitives.ReverseEndianness(repoIndex)).Serialize()),
        ];
    }

    /// <summary>One <c>key=value</c> TXT string.</summary>
    public static byte[] Record(string key, byte[] value) => [.. Encoding.ASCII.GetBytes(key + "="), .. value];

    /// <summary>Publishes the service on every interface and waits until avahi-daemon has established it.</summary>
    public static async Task<AvahiPublisher> PublishAsync(string busAddress, string name, ushort port, IEnumerable<byte[]> txt)
    {
        var connection = new DBusConnection(busAddress);
        var publisher = new AvahiPublisher(connection);
        try
        {
            await connection.ConnectAsync();
            var group = await publisher.CallAsync("/", "org.freedesktop.Avahi.Server", "EntryGroupNew", "", static (ref MessageWriter _) => { },
                static m => m.GetBodyReader().ReadObjectPathAsString());
            await publisher.CallAsync(group, "org.freedesktop.Avahi.EntryGroup", "AddService", "iiussssqaay", (ref MessageWriter w) =>
            {
                w.WriteInt32(-1);
                w.WriteInt32(-1);
                w.WriteUInt32(0);
                w.WriteString(name);
                w.WriteString(LanFinder.ServiceType);
                w.WriteString("");
                w.WriteString("");
                w.WriteUInt16(port);
                var start = w.WriteArrayStart(DBusType.Array);
                foreach (var t in txt) w.WriteArray(t);
                w.WriteArrayEnd(start);
            }, static _ => 0);
            await publisher.CallAsync(group, "org.freedesktop.Avahi.EntryGroup", "Commit", "", static (ref MessageWriter _) => { }, static _ => 0);
            for (int i = 0; ; i++)
            {
                var state = await publisher.CallAsync(group, "org.freedesktop.Avahi.EntryGroup", "GetState", "", static (ref MessageWriter _) => { },
                    static m => m.GetBodyReader().ReadInt32());
                if (state == EntryGroupEstablished) break;
                if (i > 200) throw new InvalidOperationException($"avahi-daemon did not establish the service (state {state})");
                await Task.Delay(50);
            }
            return publisher;
        }
        catch
        {
            publisher.Dispose();
            throw;
        }
    }

    /// <summary>Writes a call's arguments; by reference, as the writer is a struct that tracks its position.</summary>
    private delegate void BodyWriter(ref MessageWriter writer);

    private Task<T> CallAsync<T>(string path, string iface, string member, string signature, BodyWriter body, Func<Message, T> read)
    {
        var writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(Bus, path, iface, member, signature.Length == 0 ? null : signature);
            body(ref writer);
            return _connection.CallMethodAsync(writer.CreateMessage(), (m, _) => read(m), null);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Disconnects: avahi-daemon withdraws the client's services.</summary>
    public void Dispose() => _connection.Dispose();
}
