using System.Formats.Tar;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Import;

/// <summary>
/// One member of an archive as <see cref="TarImporter"/> takes it, whichever format it came from
/// (tar or cpio). <see cref="Type"/> reuses the tar entry types; <see cref="Data"/> holds
/// <see cref="Length"/> bytes (null: none); <see cref="RawName"/> gives the name's bytes as stored,
/// to name a component that is not UTF-8 (null when they cannot be found again).
/// </summary>
internal sealed record ArchiveMember(string Name, TarEntryType Type, uint Mode, uint Uid, uint Gid, string LinkName,
    long Length, Stream? Data, XattrList Xattrs, Func<byte[]?> RawName);
