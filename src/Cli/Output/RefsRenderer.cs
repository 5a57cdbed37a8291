using System.Text.Json;
using Arbor.Cli.Common;
using Arbor.Cli.Output.Json;

namespace Arbor.Cli.Output;

/// <summary><c>refs</c> output: "NAME", "NAME -> TARGET" (aliases) or "(COLLECTION, NAME)", one per line, or JSON.</summary>
internal static class RefsRenderer
{
    public const int SchemaVersion = 1;

    public sealed record Line(string Name, string? Checksum, string? AliasOf, string? CollectionId = null);

    public static void RenderText(TextWriter w, Line line)
    {
        if (line.CollectionId is not null) w.Write($"({line.CollectionId}, {line.Name})\n");
        else if (line.AliasOf is not null) w.Write($"{line.Name} -> {line.AliasOf}\n");
        else w.Write(line.Name + "\n");
    }

    public static void RenderJson(TextWriter w, IEnumerable<Line> lines)
    {
        var refs = lines.Select(l => new RefJson(l.Name, l.Checksum, l.AliasOf, l.CollectionId)).ToList();
        w.Write(JsonSerializer.Serialize(new RefsJson(SchemaVersion, refs), ArborJsonContext.Default.RefsJson));
        w.Write('\n');
    }
}
