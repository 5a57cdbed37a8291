using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>
/// Anonymous files (O_TMPFILE) that are given a name once complete (linkat), as ostree writes its
/// objects: the inode is allocated without holding the directory's lock, so workers creating objects
/// in one staging directory do not serialize on it, and an object that turns out to exist already is
/// just closed (nothing to unlink). Also pwrite without the lseek/fstat checks of RandomAccess.
/// </summary>
internal static unsafe class TmpFiles
{
    // O_TMPFILE is __O_TMPFILE | O_DIRECTORY; __O_TMPFILE is 020000000 on x86-64, arm64, riscv64, ppc64
    private const int TmpFileFlag = 0x400000;
    private const int AtSymlinkFollow = 0x400;
    private const int AtEmptyPath = 0x1000;
    private static volatile bool s_noEmptyPath;

    /// <summary>An unnamed file in <paramref name="directory"/> open read-write, or null when the file system has no O_TMPFILE.</summary>
    public static SafeFileHandle? TryOpen(string directory, uint mode)
    {
        int fd;
        fixed (byte* p = Utf8Path.Z(directory))
        {
            do { fd = open(p, TmpFileFlag | O_DIRECTORY | O_RDWR | O_CLOEXEC, (mode_t)mode); }
            while (fd < 0 && Errno.Last == Errno.EINTR);
        }
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int e = Errno.Last;
        if (e is Errno.EOPNOTSUPP or Errno.EISDIR or Errno.EINVAL) return null;
        throw Errno.Error("open(O_TMPFILE)", directory, e);
    }

    /// <summary>Names an O_TMPFILE file (never replacing); returns 0 or the errno (EEXIST when the name is taken).</summary>
    public static int TryLink(SafeFileHandle handle, string path)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            fixed (byte* target = Utf8Path.Z(path))
            {
                // AT_EMPTY_PATH skips resolving /proc/self/fd/N but needs CAP_DAC_READ_SEARCH (before Linux 6.10)
                if (!s_noEmptyPath)
                {
                    byte empty = 0;
                    if (linkat(fd, &empty, AT_FDCWD, target, AtEmptyPath) == 0) return 0;
                    int e = Errno.Last;
                    if (e is not (Errno.ENOENT or Errno.EPERM or Errno.EINVAL)) return e;
                    s_noEmptyPath = true;
                }
                fixed (byte* proc = Utf8Path.Z("/proc/self/fd/" + fd.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    return linkat(AT_FDCWD, proc, AT_FDCWD, target, AtSymlinkFollow) == 0 ? 0 : Errno.Last;
            }
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>
    /// <c>/proc/PID/fd/N</c>: the name under which a child process can open this process's file
    /// (an O_TMPFILE file has no other), as ostree hands its temporary files to genprotimg.
    /// </summary>
    public static string ProcPath(SafeFileHandle handle) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{(int)handle.DangerousGetHandle()}");

    /// <summary>pwrite(2) of the whole span.</summary>
    public static void Write(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset, string? pathForErrors = null)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            fixed (byte* b = data)
            {
                int done = 0;
                while (done < data.Length)
                {
                    long n = pwrite(fd, b + done, (size_t)(data.Length - done), (off_t)(offset + done));
                    if (n < 0)
                    {
                        int e = Errno.Last;
                        if (e == Errno.EINTR) continue;
                        throw Errno.Error("pwrite", pathForErrors, e);
                    }
                    done += (int)n;
                }
            }
        }
        finally { if (added) handle.DangerousRelease(); }
    }
}
