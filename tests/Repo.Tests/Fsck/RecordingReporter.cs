using Arbor.Repo.Fsck;

namespace Arbor.Repo.Tests.Fsck;

/// <summary>Captures fsck's messages by stream, as the CLI would print them.</summary>
internal sealed class RecordingReporter : IFsckReporter
{
    public List<string> Phases { get; } = new();
    public List<string> Problems { get; } = new();
    public List<string> Infos { get; } = new();
    public List<(int Done, int Total)> ProgressCalls { get; } = new();

    public void Phase(string message) => Phases.Add(message);
    public void Progress(int done, int total) => ProgressCalls.Add((done, total));
    public void Problem(string message) => Problems.Add(message);
    public void Info(string message) => Infos.Add(message);
}
