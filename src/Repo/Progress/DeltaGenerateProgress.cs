namespace Arbor.Repo.Progress;

/// <summary>A running static-delta generation: objects placed in parts out of those the delta carries, and the parts finished.</summary>
public readonly record struct DeltaGenerateProgress(int Objects, int ObjectsTotal, int PartsDone);
