namespace Arbor.Cli.Output.Json;

/// <summary><c>ls --json</c>: the entries in the order the text output lists them.</summary>
internal sealed record LsJson(int Schema, IReadOnlyList<LsEntryJson> Entries);

/// <summary>
/// One entry. <c>type</c> is "file", "dir" or "symlink"; <c>mode</c> is the permission bits in
/// octal ("0644"); <c>checksum</c> is the file object (or a directory's dirmeta) checksum,
/// <c>contents-checksum</c> a directory's dirtree checksum; xattr values are base64.
/// </summary>
internal sealed record LsEntryJson(
    string Path,
    string Type,
    string Mode,
    uint Uid,
    uint Gid,
    long Size,
    string Checksum,
    string? ContentsChecksum,
    string? Target,
    IReadOnlyList<XattrJson> Xattrs);

internal sealed record XattrJson(string Name, string Value);
