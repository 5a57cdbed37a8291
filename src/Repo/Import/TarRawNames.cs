using System.Text;
using Arbor.Repo.Core;

namespace Arbor.Repo.Import;

/// <summary>
/// System.Formats.Tar decodes entry names as UTF-8 with replacement, so a name that is not UTF-8
/// comes out with U+FFFD in it. ostree refuses such names ("Invalid UTF-8 in filename"). This
/// stream sits under the <see cref="System.Formats.Tar.TarReader"/>, counts the bytes read and
/// keeps those read while an entry's headers are read, so the entry's raw name bytes (GNU long
/// name, pax <c>path</c> record or ustar prefix/name) can be looked at when the decoded name holds
/// a U+FFFD.
/// </summary>
internal sealed class TarRawNames(Stream inner) : ReadOnlyStream
{
    private const int Block = 512;
    private readonly MemoryStream _record = new();
    private bool _recording;
    private long _position;
    private long _recordStart;
    private long _nextHeader; // where the header of the next entry starts in the archive

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private ReadOnlyMemory<byte> _readAhead; // what EndsAtBlockBoundary read, not yet handed out

    /// <summary>How many entries' headers have been read.</summary>
    public int EntriesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        int n;
        if (!_readAhead.IsEmpty)
        {
            n = Math.Min(buffer.Length, _readAhead.Length);
            _readAhead.Span[..n].CopyTo(buffer);
            _readAhead = _readAhead[n..];
        }
        else n = inner.Read(buffer);
        if (_recording) _record.Write(buffer[..n]);
        _position += n;
        return n;
    }

    /// <summary>
    /// True when the archive ends where the next header would start (after the padding of the last
    /// entry's data) without the end-of-archive blocks. Whatever it reads to find out is handed out
    /// again to the reader.
    /// </summary>
    public bool EndsAtBlockBoundary()
    {
        long next = Math.Max(_nextHeader, Align(_position));
        if (!_readAhead.IsEmpty || next - _position > Block) return false;
        int padding = (int)(next - _position);
        var buffer = new byte[padding + 1];
        int n = inner.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (n == padding) return true;
        _readAhead = buffer.AsMemory(0, n);
        return false;
    }

    /// <summary>Call before reading the next entry (after its predecessor's data has been read to the end).</summary>
    public void BeginHeaders()
    {
        _record.SetLength(0);
        _recordStart = _position;
        _recording = true;
    }

    /// <summary>Call once the entry has been read; <paramref name="size"/> is its data size.</summary>
    public void EndHeaders(long size)
    {
        _recording = false;
        EntriesRead++;
        _headerStart = _nextHeader;
        _nextHeader = Align(_position + size);
    }

    private long _headerStart;

    private static long Align(long n) => (n + Block - 1) / Block * Block;

    /// <summary>The raw name bytes of the entry just read, or null if its headers cannot be parsed.</summary>
    public byte[]? RawName()
    {
        var data = _record.GetBuffer().AsSpan(0, (int)_record.Length);
        long offset = _headerStart - _recordStart;
        byte[]? longName = null, paxPath = null;
        while (offset >= 0 && offset + Block <= data.Length)
        {
            var header = data.Slice((int)offset, Block);
            byte type = header[156];
            long size = ParseOctal(header.Slice(124, 12));
            if (type is (byte)'x' or (byte)'g' or (byte)'L' or (byte)'K')
            {
                if (size < 0 || offset + Block + size > data.Length) return null;
                var body = data.Slice((int)offset + Block, (int)size);
                if (type == 'L') longName = UntilNul(body).ToArray();
                else if (type == 'x') paxPath = PaxPath(body) ?? paxPath;
                offset = Align(offset + Block + size);
                continue;
            }
            if (paxPath is not null) return paxPath;
            if (longName is not null) return longName;
            var name = UntilNul(header[..100]);
            if (header.Slice(257, 6).SequenceEqual("ustar\0"u8))
            {
                var prefix = UntilNul(header.Slice(345, 155));
                if (prefix.Length > 0) return [.. prefix, (byte)'/', .. name];
            }
            return name.ToArray();
        }
        return null;
    }

    private static ReadOnlySpan<byte> UntilNul(ReadOnlySpan<byte> s)
    {
        int i = s.IndexOf((byte)0);
        return i < 0 ? s : s[..i];
    }

    private static long ParseOctal(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0) return -1; // base-256: not used for extension headers
        long v = 0;
        foreach (var b in field)
        {
            if (b == ' ' && v == 0) continue;
            if (b is < (byte)'0' or > (byte)'7') break;
            v = v * 8 + (b - '0');
        }
        return v;
    }

    /// <summary>The value of a pax "path" record ("LEN path=VALUE\n").</summary>
    private static byte[]? PaxPath(ReadOnlySpan<byte> body)
    {
        byte[]? path = null;
        while (body.Length > 0)
        {
            int space = body.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(Encoding.ASCII.GetString(body[..space]), out int len) || len > body.Length || len <= space + 1) break;
            var record = body[(space + 1)..len];
            if (record.Length > 0 && record[^1] == '\n') record = record[..^1];
            if (record.StartsWith("path="u8)) path = record[5..].ToArray();
            body = body[len..];
        }
        return path;
    }
}
