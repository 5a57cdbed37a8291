namespace Arbor.Repo.Store;

/// <summary>
/// What a transaction wrote, counted as ostree's OstreeRepoTransactionStats counts it (printed by
/// <c>commit --table-output</c>): every metadata or content write asked for adds to the total,
/// only new objects to "written"; content bytes are the written files' unpacked sizes.
/// </summary>
public sealed record TransactionStats(
    int MetadataTotal, int MetadataWritten, int ContentTotal, int ContentWritten, long ContentBytesWritten);
