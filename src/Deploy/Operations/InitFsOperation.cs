using Arbor.Deploy.IO;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin init-fs [--modern] PATH</c> (sysroot.md §1.1): <c>boot/</c>, unless modern the
/// traditional top-level directories (root 0700, tmp 01777), then <c>ostree/repo</c> as a bare
/// repository and <c>ostree/deploy/</c>. Existing pieces are kept.
/// </summary>
public static class InitFsOperation
{
    public static void Run(string path, bool modern)
    {
        if (Files.TryStat(path) is not { IsDirectory: true }) throw new DeployException($"opendir({path}): No such file or directory");
        FsUtil.EnsureDirectory(Path.Join(path, SysrootLayout.Boot), 0x1ED);
        if (!modern)
        {
            foreach (var (name, mode) in SysrootLayout.TraditionalTopLevels)
                FsUtil.EnsureDirectory(Path.Join(path, name), mode);
            try { Files.Chmod(Path.Join(path, "tmp"), 0x3FF); }
            catch (NativeIOException e) { throw new DeployException($"chmod: tmp: {Errno.Describe(e.Errno)}"); }
        }
        EnsureInitialized(path);
    }

    /// <summary>ostree_sysroot_ensure_initialized: <c>ostree/repo</c> (bare) and <c>ostree/deploy</c>.</summary>
    public static void EnsureInitialized(string path)
    {
        FsUtil.EnsureDirectory(Path.Join(path, SysrootLayout.Repo), 0x1ED);
        FsUtil.EnsureDirectory(Path.Join(path, SysrootLayout.Deploy), 0x1ED);
        try { Repository.Create(Path.Join(path, SysrootLayout.Repo), RepoMode.Bare); }
        catch (RepoException e) { throw new DeployException(e.Message, e); }
    }
}
