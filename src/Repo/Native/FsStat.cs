using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>statfs: free space and filesystem type (own import: not in Tmds.LibC 0.5.0).</summary>
internal static unsafe partial class FsStat
{
    [StructLayout(LayoutKind.Sequential)]
    private struct StatFs
    {
        public long f_type, f_bsize;
        public ulong f_blocks, f_bfree, f_bavail, f_files, f_ffree;
        public long f_fsid;
        public long f_namelen, f_frsize, f_flags;
        public fixed long f_spare[4];
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statfs(byte* path, StatFs* buf);

    /// <param name="BlocksFree">Free blocks, including those reserved for root.</param>
    /// <param name="BlocksAvailable">Free blocks an unprivileged user may use.</param>
    /// <param name="FragmentSize">The unit of <paramref name="Blocks"/> (statvfs f_frsize: f_bsize where statfs leaves it 0).</param>
    public readonly record struct Info(long Type, long BlockSize, ulong Blocks, ulong BlocksFree, ulong BlocksAvailable, long FragmentSize, long Flags)
    {
        public ulong BytesAvailable => BlocksAvailable * (ulong)BlockSize;
        public ulong BytesTotal => Blocks * (ulong)BlockSize;
        public const long TmpfsMagic = 0x01021994;
        public const long ST_RDONLY = 1;
        public bool ReadOnly => (Flags & ST_RDONLY) != 0;
    }

    public static Info Get(string path)
    {
        StatFs s;
        fixed (byte* p = Utf8Path.Z(path))
        {
            if (statfs(p, &s) != 0) throw Errno.Error("statfs", path, Marshal.GetLastPInvokeError());
        }
        return new Info(s.f_type, s.f_bsize, s.f_blocks, s.f_bfree, s.f_bavail, s.f_frsize != 0 ? s.f_frsize : s.f_bsize, s.f_flags);
    }
}
