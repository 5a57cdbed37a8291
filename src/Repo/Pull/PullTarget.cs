using Arbor.Repo.Core;

namespace Arbor.Repo.Pull;

/// <summary>
/// One thing to pull, from a command-line argument: a ref (<c>REF</c>), a ref pinned to a commit
/// (<c>REF@CHECKSUM</c>, ostree's override syntax) or a bare commit checksum (no ref is written).
/// </summary>
public sealed record PullTarget(string? Ref, Checksum? Commit)
{
    public static PullTarget Parse(string argument)
    {
        if (Checksum.TryParse(argument, out var c)) return new PullTarget(null, c);
        int at = argument.LastIndexOf('@');
        if (at >= 0)
        {
            var pinned = argument[(at + 1)..];
            if (!Checksum.TryParse(pinned, out var pc)) throw new RepoException($"Invalid checksum '{pinned}'");
            var r = argument[..at];
            RefName.Validate(r);
            return new PullTarget(r, pc);
        }
        RefName.Validate(argument);
        return new PullTarget(argument, null);
    }
}
