namespace Arbor.Repo.Prune;

/// <summary>Counts as ostree reports them: every loose object considered, those (to be) deleted, and their size.</summary>
public sealed record PruneResult(int ObjectsTotal, int ObjectsPruned, ulong FreedBytes);
