using System.Text;
using System.Text.RegularExpressions;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Labels;

/// <summary>
/// The SELinux file-context policy of a root file system, as ostree's <c>OstreeSePolicy</c> reads
/// it: <c>etc/selinux/config</c> (else <c>usr/etc/selinux/config</c>) names the policy type and
/// whether SELinux is on (<c>SELINUX=enforcing|permissive</c>); only then are labels looked up, in
/// <c>etc/selinux/TYPE/contexts/files/file_contexts</c> through libselinux, and a binary policy
/// <c>TYPE/policy/policy.N</c> must exist. Like ostree, the root is opened once and reached through
/// <c>/proc/self/fd/N</c>, which is the path its messages show.
/// </summary>
public sealed partial class SePolicy : IDisposable
{
    public const string XattrName = "security.selinux";
    private const string SelinuxPrefix = "SELINUX=", TypePrefix = "SELINUXTYPE=";

    private readonly SeLinux.LabelHandle? _handle;
    private readonly Lock _lock = new();

    private SePolicy(SeLinux.LabelHandle? handle, string? name)
    {
        _handle = handle;
        Name = name;
    }

    /// <summary>The policy type (<c>SELINUXTYPE</c>) when labeling is on, else null.</summary>
    public string? Name { get; }

    /// <summary>Whether the policy labels anything (SELinux enforcing or permissive in its config).</summary>
    public bool Enabled => _handle is not null;

    [GeneratedRegex(@"^policy\.[0-9]+$")]
    private static partial Regex BinaryPolicyName();

    /// <summary>
    /// The policy of the root file system at <paramref name="rootPath"/> (ostree_sepolicy_new_at on
    /// it); <paramref name="openErrorPrefix"/> goes before the message when the root cannot be opened.
    /// </summary>
    public static SePolicy Open(string rootPath, string openErrorPrefix = "")
    {
        using var root = OpenRoot(rootPath, openErrorPrefix);
        return Load($"/proc/self/fd/{root.DangerousGetHandle()}");
    }

    /// <summary>Opens a policy root as <c>glnx_opendirat</c> does, with its message.</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenRoot(string rootPath, string errorPrefix)
    {
        try
        {
            return AtFiles.OpenDirectory(rootPath);
        }
        catch (NativeIOException e)
        {
            throw new RepoException($"{errorPrefix}opendir({rootPath}): {Errno.Describe(e.Errno)}");
        }
    }

    private static SePolicy Load(string root)
    {
        string etcSelinux = root + "/etc/selinux";
        if (!Path.Exists(etcSelinux)) etcSelinux = root + "/usr/etc/selinux";
        string config = etcSelinux + "/config";
        bool enabled = false;
        string? type = null;
        if (File.Exists(config))
        {
            foreach (var line in ReadLines(config))
            {
                if (line.StartsWith(TypePrefix, StringComparison.Ordinal))
                    type = line[TypePrefix.Length..].Trim(' ', '\t', '\n', '\v', '\f', '\r');
                else if (line.StartsWith(SelinuxPrefix, StringComparison.Ordinal))
                {
                    var value = line.AsSpan(SelinuxPrefix.Length);
                    if (value.StartsWith("enforcing", StringComparison.OrdinalIgnoreCase)
                        || value.StartsWith("permissive", StringComparison.OrdinalIgnoreCase))
                        enabled = true;
                }
            }
        }
        if (!enabled) return new SePolicy(null, null);
        if (type is null) throw new RepoException($"SELinux is enabled in {config} but SELINUXTYPE is not set");
        if (!SeLinux.LibraryPresent()) throw new RepoException($"SELinux labeling needs {SeLinux.Library}, which is not installed");

        string policyRoot = etcSelinux + "/" + type;
        int e = SeLinux.TrySetPolicyRoot(policyRoot);
        if (e != 0) throw new RepoException($"selinux_set_policy_root({policyRoot}): {Errno.Describe(e)}");
        e = SeLinux.TryOpenFileContexts(out var handle);
        if (e != 0) throw new RepoException($"With policy root '{policyRoot}': selabel_open(SELABEL_CTX_FILE): {Errno.Describe(e)}");
        try
        {
            e = SeLinux.TryLookup(handle!, "/", 0x1ED /* 0755 */, out _);
            if (e != 0) throw new RepoException($"With policy root '{policyRoot}': Failed to look up context of /: {Errno.Describe(e)}");
            RequireBinaryPolicy(policyRoot + "/policy");
        }
        catch
        {
            handle!.Dispose();
            throw;
        }
        return new SePolicy(handle, type);
    }

    /// <summary>ostree checksums the newest <c>policy.N</c>; a policy without one is refused.</summary>
    private static void RequireBinaryPolicy(string dir)
    {
        const string prefix = "While calculating SELinux checksum: ";
        string[] names;
        try
        {
            names = Directory.GetFiles(dir).Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (DirectoryNotFoundException)
        {
            throw new RepoException($"{prefix}opendir({dir}): No such file or directory");
        }
        catch (IOException)
        {
            throw new RepoException($"{prefix}opendir({dir}): Not a directory");
        }
        // regular files only (not symlinks), as ostree checks d_type
        if (!names.Any(n => BinaryPolicyName().IsMatch(n) && Files.TryLStat(dir + "/" + n) is { IsRegular: true }))
            throw new RepoException($"{prefix}Could not find binary policy file");
    }

    /// <summary>Lines as GDataInputStream reads them: split at LF only; invalid UTF-8 is an error.</summary>
    private static IEnumerable<string> ReadLines(string path)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true);
        string content;
        try
        {
            content = text.GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            throw new RepoException("Invalid byte sequence in conversion input");
        }
        var lines = content.Split('\n');
        return content.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>
    /// The label of <paramref name="path"/> (absolute, as in the final tree) for the full st_mode
    /// <paramref name="mode"/>, or null when the policy gives none or labeling is off. ostree
    /// looks <c>/proc</c> up as <c>/mnt</c>.
    /// </summary>
    public string? Label(string path, uint mode)
    {
        if (_handle is null) return null;
        if (path == "/proc") path = "/mnt";
        int e;
        string? context;
        lock (_lock) e = SeLinux.TryLookup(_handle, path, mode, out context);
        if (e == Errno.ENOENT) return null;
        if (e != 0) throw new RepoException($"selabel_lookup: {Errno.Describe(e)}");
        return context;
    }

    /// <summary><paramref name="xattrs"/> without any <c>security.selinux</c> (ostree's _ostree_filter_selinux_xattr).</summary>
    public static XattrList WithoutLabel(XattrList xattrs)
    {
        var name = Encoding.UTF8.GetBytes(XattrName);
        if (!xattrs.Items.Any(x => x.Name.AsSpan().SequenceEqual(name))) return xattrs;
        return new XattrList(xattrs.Items.Where(x => !x.Name.AsSpan().SequenceEqual(name)).ToList());
    }

    /// <summary>True when the running system has SELinux on (ostree labels directories and symlinks at checkout only then).</summary>
    public static bool HostEnabled => SeLinux.LibraryPresent() && SeLinux.HostEnabled();

    public void Dispose() => _handle?.Dispose();
}
