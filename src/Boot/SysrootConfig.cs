using Arbor.Repo.Config;

namespace Arbor.Boot;

/// <summary>
/// <c>[sysroot] readonly</c> from <c>SYSROOT/ostree/repo/config</c> (boot-stage.md §1), read through the
/// shared GKeyFile parser. A missing or unreadable config is not fatal (ostree warns and carries on with a
/// writable sysroot); the reason is kept in <see cref="Warning"/> for the log.
/// </summary>
internal sealed record SysrootConfig(bool ReadOnly, string? Warning)
{
    public const string RelativePath = "ostree/repo/config";

    public static SysrootConfig Load(string sysroot)
    {
        var path = sysroot.TrimEnd('/') + "/" + RelativePath;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new SysrootConfig(false, $"Missing {path}; assuming sysroot.readonly=false");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SysrootConfig(false, $"Reading {path}: {e.Message}; assuming sysroot.readonly=false");
        }
        return Parse(text, path);
    }

    public static SysrootConfig Parse(string text, string pathForMessages)
    {
        try
        {
            return new SysrootConfig(KeyFile.Parse(text).GetBoolean("sysroot", "readonly", false), null);
        }
        catch (FormatException e)
        {
            return new SysrootConfig(false, $"{pathForMessages}: {e.Message}; assuming sysroot.readonly=false");
        }
    }
}
