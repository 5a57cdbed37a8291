using Arbor.Repo.Core;

namespace Arbor.Repo.StaticDelta;

/// <summary>A static delta that cannot be used: malformed, or failing a checksum.</summary>
public sealed class StaticDeltaException(string message) : RepoException(message);
