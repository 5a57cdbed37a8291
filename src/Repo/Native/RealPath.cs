using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>realpath(3): the canonical absolute path, every symlink resolved (own import: Tmds.LibC 0.5.0 lacks it).</summary>
public static unsafe partial class RealPath
{
    private const int PathMax = 4096;

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static partial byte* realpath(byte* path, byte* resolved);

    public static string Resolve(string path)
    {
        var buffer = new byte[PathMax];
        fixed (byte* p = Utf8Path.Z(path))
        fixed (byte* r = buffer)
        {
            if (realpath(p, r) is null) throw Errno.Error("realpath", path, Marshal.GetLastPInvokeError());
            return Marshal.PtrToStringUTF8((nint)r)!;
        }
    }
}
