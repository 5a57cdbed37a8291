using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Deploy;

/// <summary>
/// The sysroot's exclusive write lock, <c>ostree/lock</c>, taken as ostree takes it (an
/// open-file-description lock, so arbor and ostree exclude each other). The file is removed on
/// release; a holder that finds it already unlinked retries on a fresh file.
/// </summary>
public sealed class SysrootLock : IDisposable
{
    private readonly string _path;
    private SafeFileHandle? _handle;

    private SysrootLock(string path, SafeFileHandle handle)
    {
        _path = path;
        _handle = handle;
    }

    /// <summary>Takes the lock; when another process holds it, calls <paramref name="onWait"/> once and blocks.</summary>
    public static SysrootLock Acquire(string sysroot, Action? onWait = null)
    {
        var path = SysrootLayout.Full(sysroot, SysrootLayout.Lock);
        bool announced = false;
        while (true)
        {
            SafeFileHandle h;
            // not a sysroot (no ostree/): ostree's lock fails with the bare errno text
            try { h = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.None); }
            catch (DirectoryNotFoundException e) { throw new DeployException("No such file or directory", e); }
            try
            {
                if (!OfdLock.TryLockExclusive(h, wait: false, path))
                {
                    if (!announced) { onWait?.Invoke(); announced = true; }
                    OfdLock.TryLockExclusive(h, wait: true, path);
                }
                // the previous holder unlinks the file on release: make sure ours is still the one at the path
                var st = Files.FStat(h, path);
                if (st.Nlink > 0)
                {
                    if ((st.Mode & 0x1FF) != 0x180) Files.FChmod(h, 0x180, path); // 0600, as ostree creates it
                    return new SysrootLock(path, h);
                }
            }
            catch
            {
                h.Dispose();
                throw;
            }
            h.Dispose();
        }
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, null);
        if (h is null) return;
        // best effort: a missing file only means someone removed it by hand
        try { File.Delete(_path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        OfdLock.Unlock(h, _path);
        h.Dispose();
    }
}
