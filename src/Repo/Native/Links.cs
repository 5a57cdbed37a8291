using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>Hard links (hardlinked checkouts, link-checkout-speedup).</summary>
internal static unsafe class Links
{
    /// <summary>link(2); returns the errno instead of throwing for the expected failures (EXDEV, EMLINK, EEXIST, EPERM).</summary>
    public static int TryLink(string existing, string newPath)
    {
        fixed (byte* a = Utf8Path.Z(existing))
        fixed (byte* b = Utf8Path.Z(newPath))
        {
            if (linkat(AT_FDCWD, a, AT_FDCWD, b, 0) == 0) return 0;
        }
        return Errno.Last;
    }

    public static void Link(string existing, string newPath)
    {
        int e = TryLink(existing, newPath);
        if (e != 0) throw Errno.Error("link", newPath, e);
    }
}
