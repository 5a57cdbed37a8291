using System.Buffers.Binary;
using System.Formats.Tar;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Import;

/// <summary>
/// Reads a cpio archive as libarchive's cpio reader (archive_read_support_format_cpio.c), which
/// ostree's <c>--tree=tar=</c> goes through: the SVR4 "newc" format (magic <c>070701</c>, or
/// <c>070702</c> with a CRC that is not checked), the POSIX "odc" format (<c>070707</c>) and the
/// old binary format of either byte order, up to the <c>TRAILER!!!</c> entry. A symlink's data is
/// its target. A member whose (device, inode) was seen before with a link count over 1 becomes a
/// hardlink to the first name (its data, if any, is the file's: cpio writers put it on the last
/// link).
/// </summary>
internal sealed class CpioReader(Stream input)
{
    private readonly Stream _input = input;
    private const uint S_IFMT = 0xF000;
    private const string Trailer = "TRAILER!!!";

    private readonly Dictionary<(long Dev, long Ino), (string Name, long Left)> _links = [];
    private long _skip; // the unread rest of the previous member's data and its padding

    /// <summary>True if the archive starts with one of the cpio magics.</summary>
    public static bool Detect(ReadOnlySpan<byte> start) =>
        start.StartsWith("070701"u8) || start.StartsWith("070702"u8) || start.StartsWith("070707"u8)
        || (start.Length >= 2 && (BinaryPrimitives.ReadUInt16LittleEndian(start) == 0x71C7 || BinaryPrimitives.ReadUInt16BigEndian(start) == 0x71C7));

    /// <summary>The next member, or null after the trailer.</summary>
    public ArchiveMember? Next()
    {
        Skip(_skip);
        var magic = ReadExactly(6);
        Header h = magic.AsSpan().StartsWith("07070"u8) && magic[5] is (byte)'1' or (byte)'2' ? Newc(magic)
            : magic.AsSpan().SequenceEqual("070707"u8) ? Odc()
            : BinaryPrimitives.ReadUInt16LittleEndian(magic) == 0x71C7 ? Binary(magic, bigEndian: false)
            : BinaryPrimitives.ReadUInt16BigEndian(magic) == 0x71C7 ? Binary(magic, bigEndian: true)
            : throw new RepoException("Damaged cpio archive");
        var nameBytes = ReadExactly(h.NameSize);
        Skip(h.NamePad);
        int nul = Array.IndexOf(nameBytes, (byte)0);
        if (nul >= 0) nameBytes = nameBytes[..nul];
        var name = Encoding.UTF8.GetString(nameBytes);
        uint format = h.Mode & S_IFMT;
        string linkName = "";
        long length = h.Size;
        if (format == ObjectFormats.S_IFLNK)
        {
            linkName = Encoding.UTF8.GetString(ReadExactly(checked((int)h.Size)));
            Skip(h.DataPad);
            length = 0;
        }
        if (name == Trailer) return null;
        var type = format switch
        {
            ObjectFormats.S_IFDIR => TarEntryType.Directory,
            ObjectFormats.S_IFREG => TarEntryType.RegularFile,
            ObjectFormats.S_IFLNK => TarEntryType.SymbolicLink,
            0x2000 => TarEntryType.CharacterDevice,
            0x6000 => TarEntryType.BlockDevice,
            _ => TarEntryType.Fifo, // fifos and sockets: refused alike
        };
        if (h.Links > 1)
        {
            if (_links.TryGetValue((h.Dev, h.Ino), out var first))
            {
                type = TarEntryType.HardLink;
                linkName = first.Name;
                if (first.Left <= 1) _links.Remove((h.Dev, h.Ino));
                else _links[(h.Dev, h.Ino)] = first with { Left = first.Left - 1 };
            }
            else _links[(h.Dev, h.Ino)] = (name, h.Links - 1);
        }
        var data = length > 0 ? new Member(this, length) : null;
        _skip = length + (format == ObjectFormats.S_IFLNK ? 0 : h.DataPad);
        return new ArchiveMember(name, type, h.Mode & ObjectFormats.PermissionMask, h.Uid, h.Gid, linkName, length, data,
            XattrList.Empty, () => nameBytes);
    }

    private readonly record struct Header(long Dev, long Ino, uint Mode, uint Uid, uint Gid, long Links, long Size, int NameSize, int NamePad, int DataPad);

    /// <summary>newc: thirteen 8-digit hex fields after the magic; name and data padded to 4 bytes.</summary>
    private Header Newc(byte[] magic)
    {
        var f = ReadExactly(13 * 8);
        long Hex(int i) => ParseDigits(f.AsSpan(i * 8, 8), 16);
        int nameSize = checked((int)Hex(11));
        long size = Hex(6);
        return new Header((Hex(7) << 32) | Hex(8), Hex(0), (uint)Hex(1), (uint)Hex(2), (uint)Hex(3), Hex(4), size, nameSize,
            (int)((2 - nameSize) & 3), (int)(3 & -size));
        // (magic is 6 bytes, the fields 104: the name starts 2 bytes past a multiple of 4)
    }

    /// <summary>odc: octal fields dev(6) ino(6) mode(6) uid(6) gid(6) nlink(6) rdev(6) mtime(11) namesize(6) filesize(11); no padding.</summary>
    private Header Odc()
    {
        var f = ReadExactly(70);
        long Oct(int offset, int length) => ParseDigits(f.AsSpan(offset, length), 8);
        return new Header(Oct(0, 6), Oct(6, 6), (uint)Oct(12, 6), (uint)Oct(18, 6), (uint)Oct(24, 6), Oct(30, 6), Oct(59, 11),
            checked((int)Oct(53, 6)), 0, 0);
    }

    /// <summary>The old binary format: 16-bit fields in the writer's byte order (32-bit ones as two halves, high first); padded to 2 bytes.</summary>
    private Header Binary(byte[] magic, bool bigEndian)
    {
        var f = new byte[26];
        magic.CopyTo(f, 0);
        ReadInto(f.AsSpan(6));
        int Short(int i) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(i * 2)) : BinaryPrimitives.ReadUInt16LittleEndian(f.AsSpan(i * 2));
        int nameSize = Short(10);
        long size = ((long)Short(11) << 16) | (uint)Short(12);
        return new Header(Short(1), Short(2), (uint)Short(3), (uint)Short(4), (uint)Short(5), Short(6), size, nameSize, nameSize & 1, (int)(size & 1));
    }

    /// <summary>Digits as libarchive's atol8/atol16 read them: up to the first one that is not a digit.</summary>
    private static long ParseDigits(ReadOnlySpan<byte> field, int radix)
    {
        long v = 0;
        foreach (var b in field)
        {
            int d = b is >= (byte)'0' and <= (byte)'9' ? b - '0'
                : radix == 16 && b is >= (byte)'a' and <= (byte)'f' ? b - 'a' + 10
                : radix == 16 && b is >= (byte)'A' and <= (byte)'F' ? b - 'A' + 10
                : -1;
            if (d < 0 || d >= radix) break;
            v = v * radix + d;
        }
        return v;
    }

    private byte[] ReadExactly(int count)
    {
        var buffer = new byte[count];
        ReadInto(buffer);
        return buffer;
    }

    private void ReadInto(Span<byte> buffer)
    {
        if (_input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length) throw Truncated();
    }

    private void Skip(long count)
    {
        _skip = 0;
        if (count == 0) return;
        var buffer = new byte[(int)Math.Min(count, 64 * 1024)];
        while (count > 0)
        {
            int n = _input.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (n == 0) throw Truncated();
            count -= n;
        }
    }

    private static RepoException Truncated() => new("Truncated cpio archive");

    /// <summary>A member's data: what is left of it is skipped before the next header.</summary>
    private sealed class Member(CpioReader reader, long length) : ReadOnlyStream
    {
        private long _left = length;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_left == 0 || buffer.IsEmpty) return 0;
            int n = reader._input.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            if (n == 0) throw Truncated();
            _left -= n;
            reader._skip -= n;
            return n;
        }
    }
}
