using System.IO.Compression;
using Arbor.Deploy.IO;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The Secure Execution ramdisk: a copy of the entry's initrd with a gzip-compressed newc cpio
/// appended (the kernel unpacks concatenated archives in turn) holding <c>/etc</c>,
/// <c>/etc/luks</c>, <c>/etc/crypttab</c>, <c>/etc/luks/boot</c> and <c>/etc/luks/root</c> of the
/// running system, each with its own stat, as ostree 2022.7 builds it with libarchive.
/// </summary>
internal static class SecureExecutionInitrd
{
    public const string LuksRootKey = "etc/luks/root";
    public const string LuksBootKey = "etc/luks/boot";
    public const string LuksConfig = "etc/crypttab";

    /// <summary>Archive names (absolute, as ostree gives them), in order.</summary>
    private static readonly string[] Members = ["/etc", "/etc/luks", "/" + LuksConfig, "/" + LuksBootKey, "/" + LuksRootKey];

    /// <summary>The ramdisk as an anonymous file (its offset past the end is irrelevant: readers open it by name).</summary>
    public static SafeFileHandle Generate(SecureExecution se, string initrd)
    {
        foreach (var rel in new[] { LuksConfig, LuksRootKey, LuksBootKey })
            if (Files.TryStat(se.Host(rel)) is null) throw new DeployException("s390x SE: missing luks keys and config");

        var ramdisk = se.OpenAnonymous("s390x SE: opening new ramdisk");
        try
        {
            long length = CopyInitrd(initrd, ramdisk);
            TmpFiles.Write(ramdisk, LuksArchive(se), length);
            return ramdisk;
        }
        catch (NativeIOException e)
        {
            ramdisk.Dispose();
            throw new DeployException($"s390x SE: copying ramdisk: {Errno.Describe(e.Errno)}", e);
        }
        catch
        {
            ramdisk.Dispose();
            throw;
        }
    }

    private static long CopyInitrd(string initrd, SafeFileHandle ramdisk)
    {
        SafeFileHandle source;
        try { source = File.OpenHandle(initrd, FileMode.Open, FileAccess.Read); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DeployException($"s390x SE: opening initrd: openat({initrd}): No such file or directory", e);
        }
        catch (IOException e) { throw new DeployException($"s390x SE: opening initrd: {e.Message}", e); }
        using (source)
        {
            long length = RandomAccess.GetLength(source);
            CopyRange.CopyAll(source, ramdisk, length, initrd);
            return length;
        }
    }

    /// <summary>The gzip-compressed cpio of the LUKS members.</summary>
    private static byte[] LuksArchive(SecureExecution se)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            var cpio = new CpioNewcWriter(gzip);
            foreach (var name in Members)
            {
                var path = se.Host(name.TrimStart('/'));
                FileStatus st;
                try { st = Files.Stat(path); }
                catch (NativeIOException e) { throw new DeployException($"s390x SE: stat({name}) failed: {Errno.Describe(e.Errno)}", e); }
                byte[] body = [];
                if (st.IsRegular)
                {
                    try { body = File.ReadAllBytes(path); }
                    catch (IOException e) { throw new DeployException($"s390x SE: reading {name}: {e.Message}", e); }
                }
                cpio.Add(name, st, body);
            }
            cpio.Finish();
        }
        return buffer.ToArray();
    }
}
