using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>write(2) on an inherited descriptor and the terminal size (TIOCGWINSZ), for the CLI's stdout/stderr.</summary>
public static unsafe class FdIo
{
    /// <summary>Writes all of <paramref name="buffer"/> with write(2) (retrying on EINTR and short writes).</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            long n;
            fixed (byte* p = buffer) n = write(fd, p, buffer.Length);
            if (n < 0)
            {
                var e = Errno.Last;
                if (e == Errno.EINTR) continue;
                throw Errno.Error("write", null, e);
            }
            buffer = buffer[(int)n..];
        }
    }

    private const int TiocGWinSz = 0x5413;

    /// <summary>The column count of the terminal on <paramref name="fd"/>, or null when it is not a terminal.</summary>
    public static int? TerminalColumns(int fd)
    {
        ushort* ws = stackalloc ushort[4];
        return ioctl(fd, TiocGWinSz, ws) == 0 && ws[1] > 0 ? ws[1] : null;
    }
}
