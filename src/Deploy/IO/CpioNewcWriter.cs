using System.Text;
using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// The "new ASCII" (newc, magic <c>070701</c>) cpio format, the one the kernel unpacks from an
/// initramfs, written as libarchive writes it (what ostree appends to an initrd): a 110-byte header
/// of thirteen 8-digit lowercase hex fields (inode, mode, uid, gid, nlink, mtime, size, device
/// major and minor, rdev major and minor, name size with its NUL, a zero checksum), the name and
/// its NUL padded to 4 bytes, the body padded to 4 bytes; a <c>TRAILER!!!</c> entry ends it.
/// Values that do not fit 8 digits are written as ffffffff, the inode as its low 32 bits.
/// Only directories and regular files carry what they need here; other types get no body.
/// </summary>
internal sealed class CpioNewcWriter(Stream output)
{
    private const string Magic = "070701";
    private const string Trailer = "TRAILER!!!";
    private const int HeaderSize = 110;
    private const uint BlockDevice = 0x6000; // S_IFBLK

    /// <summary>One entry from its stat (as archive_entry_copy_stat takes it); <paramref name="body"/> only for a regular file.</summary>
    public void Add(string name, FileStatus st, ReadOnlySpan<byte> body)
    {
        bool device = st.FileType is FileStatus.S_IFCHR or BlockDevice;
        ulong size = st.IsRegular ? (ulong)body.Length : 0;
        WriteHeader(name, st.Inode & 0xFFFFFFFF, st.Mode, st.Uid, st.Gid, st.Nlink, (ulong)Math.Max(0, st.MtimeSeconds), size,
            Major(st.Device), Minor(st.Device), device ? Major(st.Rdev) : 0, device ? Minor(st.Rdev) : 0);
        if (size == 0) return;
        output.Write(body);
        Pad(body.Length);
    }

    /// <summary>The closing <c>TRAILER!!!</c> entry (nlink 1, everything else 0).</summary>
    public void Finish() => WriteHeader(Trailer, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);

    private void WriteHeader(string name, ulong ino, uint mode, uint uid, uint gid, ulong nlink, ulong mtime, ulong size,
                             ulong devMajor, ulong devMinor, ulong rdevMajor, ulong rdevMinor)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        int nameSize = nameBytes.Length + 1;
        var header = new StringBuilder(HeaderSize).Append(Magic);
        foreach (var v in new[] { ino, mode, uid, gid, nlink, mtime, size, devMajor, devMinor, rdevMajor, rdevMinor, (ulong)nameSize, 0UL })
            header.Append(Math.Min(v, 0xFFFFFFFFUL).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nameBytes);
        output.WriteByte(0);
        Pad(HeaderSize + nameSize);
    }

    private void Pad(int written)
    {
        int pad = (4 - written % 4) % 4;
        for (int i = 0; i < pad; i++) output.WriteByte(0);
    }

    // glibc's major()/minor() of a 64-bit dev_t
    private static ulong Major(ulong dev) => ((dev >> 8) & 0xFFF) | ((dev >> 32) & 0xFFFFF000);

    private static ulong Minor(ulong dev) => (dev & 0xFF) | ((dev >> 12) & 0xFFFFFF00);
}
