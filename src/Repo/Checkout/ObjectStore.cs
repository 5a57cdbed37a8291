using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// One repository's loose FILE objects, opened for a checkout: its mode and an fd on
/// <c>objects/</c>, so objects are reached as <c>XX/REST.file</c> relative to it. A repository
/// with <c>core.parent</c> gives a chain of stores, searched in order as ostree does.
/// </summary>
internal sealed class ObjectStore : IDisposable
{
    /// <summary>"XX/" + 62 hex + ".filez" + NUL.</summary>
    public const int LooseNameMax = 72;

    private readonly byte[] _objectsPathUtf8;

    public Repository Repo { get; }
    public RepoMode Mode { get; }
    public SafeFileHandle ObjectsDir { get; }
    public string ObjectsPath { get; }
    public ulong Device { get; }
    public bool DisableXattrs { get; }

    /// <summary>bare-user and bare-user-only: objects carry user-mode permissions.</summary>
    public bool IsUserMode => Mode is RepoMode.BareUser or RepoMode.BareUserOnly;

    private ObjectStore(Repository repo)
    {
        Repo = repo;
        Mode = repo.Mode;
        ObjectsPath = repo.FullPath(RepoLayout.Objects);
        _objectsPathUtf8 = Encoding.UTF8.GetBytes(ObjectsPath);
        ObjectsDir = AtFiles.OpenDirectory(ObjectsPath);
        Device = Files.FStat(ObjectsDir, ObjectsPath).Device;
        DisableXattrs = repo.Config.DisableXattrs;
    }

    /// <summary>The repository, then its <c>core.parent</c> chain.</summary>
    public static ObjectStore[] OpenChain(Repository repo)
    {
        var chain = new List<ObjectStore>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (Repository? r = repo; r is not null && seen.Add(r.Path); r = r.Config.ParentRepo is { } p ? Repository.Open(p) : null)
                chain.Add(new ObjectStore(r));
        }
        catch
        {
            foreach (var s in chain) s.Dispose();
            throw;
        }
        return [.. chain];
    }

    /// <summary>Writes <c>XX/REST.file</c> (or <c>.filez</c>) with a NUL terminator; returns the span used.</summary>
    public Span<byte> LooseName(Checksum checksum, Span<byte> buffer) =>
        LooseName(checksum, Mode == RepoMode.Archive ? ".filez"u8 : ".file"u8, buffer);

    /// <summary>Writes <c>XX/REST</c> + <paramref name="extension"/> (with its dot) and a NUL terminator.</summary>
    public static Span<byte> LooseName(Checksum checksum, ReadOnlySpan<byte> extension, Span<byte> buffer)
    {
        Span<byte> raw = stackalloc byte[Checksum.ByteLength];
        checksum.CopyTo(raw);
        Span<char> hex = stackalloc char[Checksum.HexLength];
        Convert.TryToHexStringLower(raw, hex, out _);
        int n = 0;
        for (int i = 0; i < 2; i++) buffer[n++] = (byte)hex[i];
        buffer[n++] = (byte)'/';
        for (int i = 2; i < hex.Length; i++) buffer[n++] = (byte)hex[i];
        extension.CopyTo(buffer[n..]);
        n += extension.Length;
        buffer[n++] = 0;
        return buffer[..n];
    }

    /// <summary>The absolute path of an object as NUL-terminated UTF-8 (for the path-only xattr calls).</summary>
    public Span<byte> AbsolutePath(ReadOnlySpan<byte> looseZ, Span<byte> buffer)
    {
        _objectsPathUtf8.CopyTo(buffer);
        int n = _objectsPathUtf8.Length;
        buffer[n++] = (byte)'/';
        looseZ.CopyTo(buffer[n..]);
        return buffer[..(n + looseZ.Length)];
    }

    public int AbsolutePathMax => _objectsPathUtf8.Length + 1 + LooseNameMax;

    public static string LoosePathText(ReadOnlySpan<byte> looseZ) => Encoding.ASCII.GetString(looseZ[..^1]);

    public void Dispose() => ObjectsDir.Dispose();
}
