using System.Text;

namespace Arbor.Repo.Export;

/// <summary>
/// One 512-byte GNU tar header, laid out as libarchive's gnutar writer lays it out (what
/// <c>ostree export</c> produces): NUL-terminated 7-digit octal mode, uid and gid, 11-digit size
/// and mtime, base-256 for uid, gid and size that do not fit in octal, magic <c>"ustar  \0"</c>,
/// empty device fields, and a checksum of six octal digits, NUL and space.
/// </summary>
internal static class GnuTarHeader
{
    public const int BlockSize = 512;
    public const int NameSize = 100;
    public const byte Regular = (byte)'0', Symlink = (byte)'2', Directory = (byte)'5', LongName = (byte)'L', LongLink = (byte)'K';

    private const int ModeOffset = 100, UidOffset = 108, GidOffset = 116, SizeOffset = 124, MtimeOffset = 136;
    private const int ChecksumOffset = 148, TypeOffset = 156, LinkOffset = 157, MagicOffset = 257, UnameOffset = 265, GnameOffset = 297;
    private const int NameFieldSize = 32;

    public readonly record struct Entry(byte Type, uint Mode, long Uid, long Gid, long Size, long Mtime);

    /// <summary>Fills <paramref name="block"/> (512 bytes); names and link targets longer than 100 bytes are cut here and carried by L/K entries.</summary>
    public static void Write(Span<byte> block, ReadOnlySpan<byte> name, ReadOnlySpan<byte> link, in Entry e, string uname = "", string gname = "")
    {
        block[..BlockSize].Clear();
        name[..Math.Min(name.Length, NameSize)].CopyTo(block);
        Octal(block.Slice(ModeOffset, 7), e.Mode & 0xFFF); // 07777: the type goes in the type flag
        Number(block.Slice(UidOffset, 8), e.Uid, 7);
        Number(block.Slice(GidOffset, 8), e.Gid, 7);
        Number(block.Slice(SizeOffset, 12), e.Size, 11);
        Octal(block.Slice(MtimeOffset, 11), e.Mtime);
        block.Slice(ChecksumOffset, 8).Fill((byte)' ');
        block[TypeOffset] = e.Type;
        link[..Math.Min(link.Length, NameSize)].CopyTo(block[LinkOffset..]);
        "ustar  \0"u8.CopyTo(block[MagicOffset..]);
        Encoding.ASCII.GetBytes(uname.AsSpan(0, Math.Min(uname.Length, NameFieldSize)), block.Slice(UnameOffset, NameFieldSize));
        Encoding.ASCII.GetBytes(gname.AsSpan(0, Math.Min(gname.Length, NameFieldSize)), block.Slice(GnameOffset, NameFieldSize));
        uint sum = 0;
        foreach (var b in block[..BlockSize]) sum += b;
        Octal(block.Slice(ChecksumOffset, 6), sum);
        block[ChecksumOffset + 6] = 0; // the space at +7 stays
    }

    /// <summary>Octal digits filling the field, or base-256 over <paramref name="field"/>'s full width when the value does not fit.</summary>
    private static void Number(Span<byte> field, long value, int digits)
    {
        if (value < 1L << (digits * 3))
        {
            Octal(field[..digits], value);
            return;
        }
        for (int i = field.Length - 1; i >= 0; i--)
        {
            field[i] = (byte)(value & 0xFF);
            value >>= 8;
        }
        field[0] |= 0x80;
    }

    /// <summary>Zero-padded octal; a negative value is written as 0 and an overflow as all 7s, as libarchive does.</summary>
    private static void Octal(Span<byte> field, long value)
    {
        if (value < 0) value = 0;
        for (int i = field.Length - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        if (value != 0) field.Fill((byte)'7');
    }
}
