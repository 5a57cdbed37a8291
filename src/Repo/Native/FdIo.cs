using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>write(2) on an inherited descriptor and the terminal size (TIOCGWINSZ), for the CLI's stdout/stderr.</summary>
public static unsafe partial class FdIo
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

    /// <summary>
    /// Reads one byte from <paramref name="fd"/>, waiting at most <paramref name="timeoutMs"/> (-1: for ever) for it:
    /// the byte, -1 at end of file, or null when the time ran out (or poll failed).
    /// </summary>
    public static int? ReadByte(int fd, int timeoutMs)
    {
        var pfd = new PollFd { Fd = fd, Events = PollIn };
        int r;
        do r = poll(&pfd, 1, timeoutMs); while (r < 0 && Errno.Last == Errno.EINTR);
        if (r <= 0) return null;
        byte b;
        long n;
        do n = read(fd, &b, 1); while (n < 0 && Errno.Last == Errno.EINTR);
        return n == 1 ? b : n == 0 ? -1 : null;
    }

    // poll(2), which Tmds.LibC 0.5.0 lacks
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    private const short PollIn = 1;

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int poll(PollFd* fds, ulong count, int timeoutMs);

    /// <summary>setsid(2): leaves the caller's session and process group (no terminal's signals reach it).</summary>
    public static void NewSession() => setsid();

    private const int TiocGWinSz = 0x5413;

    /// <summary>The column count of the terminal on <paramref name="fd"/>, or null when it is not a terminal.</summary>
    public static int? TerminalColumns(int fd)
    {
        ushort* ws = stackalloc ushort[4];
        return ioctl(fd, TiocGWinSz, ws) == 0 && ws[1] > 0 ? ws[1] : null;
    }
}
