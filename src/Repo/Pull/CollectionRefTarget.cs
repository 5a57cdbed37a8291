using Arbor.Repo.Core;
using Arbor.Repo.Refs;

namespace Arbor.Repo.Pull;

/// <summary>One collection–ref to pull, optionally pinned to a commit (an <c>a(sss)</c> entry of ostree's <c>collection-refs</c>).</summary>
public sealed record CollectionRefTarget(CollectionRef Ref, Checksum? Commit = null);
