using System.Text.Json;
using System.Text.Json.Serialization;
using Arbor.Repo.Progress;

namespace Arbor.Cli.Common;

/// <summary>One progress record of <c>--json-progress</c>.</summary>
public sealed record JsonProgressLine(
    string Phase, int MetadataFetched, int ContentFetched, int ObjectsFetched, int ObjectsTotal, bool TotalIsFinal,
    long BytesTransferred, long ContentBytesWritten, double ElapsedSeconds, double BytesPerSecond, double? EtaSeconds);

/// <summary>System.Text.Json source generation for the progress records (AOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(JsonProgressLine))]
public sealed partial class ProgressJsonContext : JsonSerializerContext;

/// <summary><c>--json-progress</c>: one JSON object per line for tools, whether or not stdout is a terminal.</summary>
public sealed class JsonProgress(TextWriter output) : IProgress<ProgressEvent>
{
    private readonly object _lock = new();

    public void Report(ProgressEvent e)
    {
        var line = new JsonProgressLine(e.Phase.ToString().ToLowerInvariant(), e.MetadataFetched, e.ContentFetched, e.ObjectsFetched,
            e.ObjectsTotal, e.TotalIsFinal, e.BytesTransferred, e.ContentBytesWritten, Math.Round(e.Elapsed.TotalSeconds, 3),
            Math.Round(e.BytesPerSecond, 1), e.EstimatedRemaining is { } t ? Math.Round(t.TotalSeconds, 1) : null);
        var json = JsonSerializer.Serialize(line, ProgressJsonContext.Default.JsonProgressLine);
        lock (_lock)
        {
            output.WriteLine(json);
            output.Flush();
        }
    }
}
