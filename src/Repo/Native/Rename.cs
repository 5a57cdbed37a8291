using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>renameat2 with NOREPLACE / EXCHANGE (own import: Tmds.LibC 0.5.0 lacks it).</summary>
internal static unsafe partial class Rename
{
    public const uint NoReplace = 1, Exchange = 2;
    private const int AT_FDCWD = -100;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static partial int renameat2(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, uint flags);

    /// <summary>rename(2): atomically replaces <paramref name="to"/>.</summary>
    public static void Replace(string from, string to)
    {
        fixed (byte* a = Utf8Path.Z(from))
        fixed (byte* b = Utf8Path.Z(to))
        {
            if (renameat2(AT_FDCWD, a, AT_FDCWD, b, 0) != 0)
                throw Errno.Error("rename", to, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Renames unless the target exists; returns false on EEXIST.</summary>
    public static bool TryNoReplace(string from, string to)
    {
        fixed (byte* a = Utf8Path.Z(from))
        fixed (byte* b = Utf8Path.Z(to))
        {
            if (renameat2(AT_FDCWD, a, AT_FDCWD, b, NoReplace) == 0) return true;
        }
        int e = Marshal.GetLastPInvokeError();
        if (e == Errno.EEXIST) return false;
        throw Errno.Error("rename", to, e);
    }

    /// <summary>Atomically exchanges two paths.</summary>
    public static void Exchange_(string a, string b)
    {
        fixed (byte* x = Utf8Path.Z(a))
        fixed (byte* y = Utf8Path.Z(b))
        {
            if (renameat2(AT_FDCWD, x, AT_FDCWD, y, Exchange) != 0)
                throw Errno.Error("renameat2 exchange", b, Marshal.GetLastPInvokeError());
        }
    }
}
