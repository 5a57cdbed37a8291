using System.Runtime.InteropServices;
using System.Text;

namespace Arbor.Repo.Native;

/// <summary>
/// File-context labeling through the system libselinux (own imports; the library ostree links):
/// a policy root, a <c>SELABEL_CTX_FILE</c> handle and <c>selabel_lookup_raw</c>. The policy root
/// is process-wide state in libselinux, as it is for ostree.
/// </summary>
internal static unsafe partial class SeLinux
{
    public const string Library = "libselinux.so.1";
    private const uint SELABEL_CTX_FILE = 0;

    [LibraryImport(Library, EntryPoint = "selinux_set_policy_root", SetLastError = true)]
    private static partial int SetPolicyRootNative(byte* path);

    [LibraryImport(Library, EntryPoint = "selabel_open", SetLastError = true)]
    private static partial nint SelabelOpen(uint backend, nint options, uint count);

    [LibraryImport(Library, EntryPoint = "selabel_lookup_raw", SetLastError = true)]
    private static partial int SelabelLookupRaw(nint handle, byte** context, byte* key, int type);

    [LibraryImport(Library, EntryPoint = "selabel_close")]
    private static partial void SelabelClose(nint handle);

    [LibraryImport(Library, EntryPoint = "freecon")]
    private static partial void FreeCon(byte* context);

    [LibraryImport(Library, EntryPoint = "is_selinux_enabled")]
    private static partial int IsSelinuxEnabled();

    [LibraryImport(Library, EntryPoint = "lsetfilecon", SetLastError = true)]
    private static partial int LSetFileCon(byte* path, byte* context);

    [LibraryImport(Library, EntryPoint = "lgetfilecon_raw", SetLastError = true)]
    private static partial int LGetFileConRaw(byte* path, byte** context);

    /// <summary>Whether libselinux can be loaded at all.</summary>
    public static bool LibraryPresent()
    {
        if (!NativeLibrary.TryLoad(Library, out var lib)) return false;
        NativeLibrary.Free(lib);
        return true;
    }

    /// <summary><c>is_selinux_enabled() == 1</c>: the running kernel enforces or logs SELinux.</summary>
    public static bool HostEnabled() => IsSelinuxEnabled() == 1;

    /// <summary><c>selinux_set_policy_root</c>; returns 0 or errno.</summary>
    public static int TrySetPolicyRoot(string path)
    {
        var bytes = Utf8Z(path);
        fixed (byte* p = bytes)
            return SetPolicyRootNative(p) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary><c>selabel_open(SELABEL_CTX_FILE)</c> for the current policy root; returns 0 or errno.</summary>
    public static int TryOpenFileContexts(out LabelHandle? handle)
    {
        nint h = SelabelOpen(SELABEL_CTX_FILE, 0, 0);
        if (h == 0)
        {
            handle = null;
            return Marshal.GetLastPInvokeError();
        }
        handle = new LabelHandle(h);
        return 0;
    }

    /// <summary>
    /// <c>selabel_lookup_raw</c> for <paramref name="path"/> and the full st_mode
    /// <paramref name="mode"/>; returns 0 (with the context) or errno (ENOENT: no label).
    /// </summary>
    public static int TryLookup(LabelHandle handle, string path, uint mode, out string? context)
    {
        var key = Utf8Z(path);
        byte* con = null;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int rc;
            fixed (byte* k = key) rc = SelabelLookupRaw(handle.DangerousGetHandle(), &con, k, unchecked((int)mode));
            if (rc != 0)
            {
                context = null;
                return Marshal.GetLastPInvokeError();
            }
            context = Marshal.PtrToStringUTF8((nint)con);
            return 0;
        }
        finally
        {
            if (con != null) FreeCon(con);
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>
    /// <c>lsetfilecon</c>: sets <paramref name="context"/> (translated to its raw form, written with
    /// its trailing NUL) as the label of <paramref name="path"/>, not following a symlink; 0 or errno.
    /// </summary>
    public static int TrySetFileContext(string path, string context)
    {
        var p = Utf8Z(path);
        var c = Utf8Z(context);
        fixed (byte* pp = p)
        fixed (byte* cp = c)
            return LSetFileCon(pp, cp) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary><c>lgetfilecon_raw(path) &gt; 0</c>: <paramref name="path"/> (not followed) already carries a label.</summary>
    public static bool HasFileContext(string path)
    {
        var p = Utf8Z(path);
        byte* con = null;
        int n;
        fixed (byte* pp = p) n = LGetFileConRaw(pp, &con);
        if (con != null) FreeCon(con);
        return n > 0;
    }

    private static byte[] Utf8Z(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>An open <c>selabel_handle</c>.</summary>
    public sealed class LabelHandle : SafeHandle
    {
        internal LabelHandle(nint handle) : base(0, ownsHandle: true) => SetHandle(handle);

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            SelabelClose(handle);
            return true;
        }
    }
}
