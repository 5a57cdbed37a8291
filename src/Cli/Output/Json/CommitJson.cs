using System.Text.Json.Nodes;

namespace Arbor.Cli.Output.Json;

/// <summary>
/// One commit (<c>show --json</c>, an element of <c>log --json</c>). Timestamps are seconds since
/// the epoch; <c>date</c> is the same instant in ISO 8601 (UTC). Metadata values are converted by
/// <see cref="GVariantJson"/>.
/// </summary>
internal sealed record CommitJson(
    int? Schema,
    string Checksum,
    string? Parent,
    string Subject,
    string Body,
    ulong Timestamp,
    string? Date,
    string? Version,
    string ContentChecksum,
    string RootTree,
    string RootMeta,
    Dictionary<string, JsonNode?> Metadata,
    Dictionary<string, JsonNode?>? DetachedMetadata);

/// <summary><c>log --json</c>: the commits from newest to oldest; <c>history-complete</c> is false when a parent is missing locally.</summary>
internal sealed record LogJson(int Schema, IReadOnlyList<CommitJson> Commits, bool HistoryComplete, string? MissingParent);
