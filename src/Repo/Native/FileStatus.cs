namespace Arbor.Repo.Native;

/// <summary>The stat fields Arbor uses.</summary>
public readonly record struct FileStatus(
    ulong Device, ulong Inode, uint Mode, uint Uid, uint Gid, ulong Nlink, long Size, ulong Rdev,
    long MtimeSeconds, long MtimeNanoseconds)
{
    public const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFLNK = 0xA000, S_IFCHR = 0x2000;
    public bool IsDirectory => (Mode & S_IFMT) == S_IFDIR;
    public bool IsRegular => (Mode & S_IFMT) == S_IFREG;
    public bool IsSymlink => (Mode & S_IFMT) == S_IFLNK;
    public bool IsCharDevice => (Mode & S_IFMT) == S_IFCHR;
    /// <summary>Whether both name the same file (device and inode).</summary>
    public bool SameFileAs(FileStatus other) => Device == other.Device && Inode == other.Inode;
    public uint Permissions => Mode & 0xFFF;
    public uint FileType => Mode & S_IFMT;
}
