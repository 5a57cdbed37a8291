namespace Arbor.Deploy.BootLoader;

/// <summary>Reading a boot loader's current configuration file, with ostree's error wording.</summary>
internal static class BootLoaderFiles
{
    /// <summary>The file at <paramref name="rel"/> (symlinks followed); "openat(REL): …" when it cannot be opened.</summary>
    public static string ReadCurrent(Sysroot sysroot, string rel)
    {
        try { return File.ReadAllText(sysroot.FullPath(rel)); }
        catch (FileNotFoundException e) { throw new DeployException($"openat({rel}): No such file or directory", e); }
        catch (DirectoryNotFoundException e) { throw new DeployException($"openat({rel}): No such file or directory", e); }
        catch (IOException e) { throw new DeployException($"openat({rel}): {e.Message}", e); }
    }
}
