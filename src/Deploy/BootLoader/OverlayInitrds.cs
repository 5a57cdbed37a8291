using System.Security.Cryptography;
using Arbor.Deploy.IO;
using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// Overlay initrds (<c>deploy --overlay-initrd=FILE</c>, ostree_sysroot_stage_overlay_initrd): an
/// extra initramfs appended after the tree's own, named by the SHA-256 of its contents. It is
/// first copied to the run directory's <c>ostree/staged-initrds/CHECKSUM</c>; writing a boot entry
/// that uses it installs <c>boot/ostree/initramfs-overlays/CHECKSUM.img</c> from there, and cleanup
/// removes the ones no deployment uses.
/// </summary>
public static class OverlayInitrds
{
    /// <summary>Copies <paramref name="file"/> into the staged-initrds directory; returns its checksum.</summary>
    public static string Stage(SysrootOptions options, string file)
    {
        var dir = options.StagedInitrdsDir;
        try
        {
            FsUtil.EnsureDirectory(dir);
            var tmp = Path.Join(dir, ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            string checksum;
            try
            {
                using (var src = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read))
                using (var dst = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // one pass: each block is hashed as it is copied
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 17);
                    try
                    {
                        long offset = 0;
                        int n;
                        while ((n = RandomAccess.Read(src, buffer, offset)) > 0)
                        {
                            hash.AppendData(buffer, 0, n);
                            RandomAccess.Write(dst, buffer.AsSpan(0, n), offset);
                            offset += n;
                        }
                    }
                    finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
                    checksum = Convert.ToHexStringLower(hash.GetHashAndReset());
                    Files.FChmod(dst, 0x180, tmp); // 0600, as ostree's O_TMPFILE leaves it (and the copy in /boot keeps it)
                }
                Rename.Replace(tmp, Path.Join(dir, checksum));
            }
            catch
            {
                try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw;
            }
            return checksum;
        }
        catch (FileNotFoundException) { throw new DeployException($"Failed to open overlay initrd {file}: No such file or directory"); }
        catch (IOException e) { throw new DeployException($"Staging overlay initrd {file}: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new DeployException($"Staging overlay initrd {file}: {e.Message}", e); }
    }

    /// <summary>The entry path <c>/ostree/initramfs-overlays/CHECKSUM.img</c> (relative to /boot), installed from the staged copy when missing.</summary>
    internal static string Install(Sysroot sysroot, string checksum)
    {
        if (checksum.Length != Checksum.HexLength || !checksum.All(char.IsAsciiHexDigitLower))
            throw new DeployException($"Malformed overlay initrd checksum: {checksum}");
        var rel = $"/ostree/initramfs-overlays/{checksum}.img";
        var dest = sysroot.FullPath(SysrootLayout.Boot + rel);
        if (Files.TryStat(dest) is not null) return rel;
        var source = Path.Join(sysroot.Options.StagedInitrdsDir, checksum);
        if (Files.TryStat(source) is null)
            throw new DeployException($"Missing overlay initrd {checksum}: neither {SysrootLayout.InitramfsOverlays}/{checksum}.img nor {source} exists");
        FsUtil.EnsureDirectory(sysroot.FullPath(SysrootLayout.InitramfsOverlays));
        FileCopy.CopyEntry(source, dest, overwrite: false, keepMtime: false);
        return rel;
    }
}
