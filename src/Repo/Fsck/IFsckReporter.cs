namespace Arbor.Repo.Fsck;

/// <summary>Where fsck's messages go; the CLI maps them to stdout and stderr as ostree does.</summary>
public interface IFsckReporter
{
    /// <summary>A step starts ("Validating refs..."): stdout, hidden by --quiet.</summary>
    void Phase(string message);

    /// <summary><paramref name="done"/> of <paramref name="total"/> reachable objects are checked.</summary>
    void Progress(int done, int total);

    /// <summary>A missing or corrupt object, or a commit being marked partial: stderr.</summary>
    void Problem(string message);

    /// <summary>Other results ("Adding tombstone for commit C", "N partial commits not verified"): stdout.</summary>
    void Info(string message);
}
