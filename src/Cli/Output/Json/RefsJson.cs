namespace Arbor.Cli.Output.Json;

/// <summary><c>refs --json</c>: refs in the order the text output lists them.</summary>
internal sealed record RefsJson(int Schema, IReadOnlyList<RefJson> Refs);

/// <summary>One ref: its refspec, and its checksum, or the ref it aliases (<c>--alias</c>), plus its collection ID (<c>-c</c>).</summary>
internal sealed record RefJson(string Name, string? Checksum, string? AliasOf, string? CollectionId);
