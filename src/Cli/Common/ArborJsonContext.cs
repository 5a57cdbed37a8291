using System.Text.Json.Serialization;
using Arbor.Cli.Output.Json;

namespace Arbor.Cli.Common;

/// <summary>
/// Source-generated JSON metadata for every <c>--json</c> shape (no reflection: the CLI is
/// published with NativeAOT). Keys are kebab-case; absent values are omitted. The shapes are
/// documented in docs/read-commands-json.md.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RefsJson))]
[JsonSerializable(typeof(CommitJson))]
[JsonSerializable(typeof(LogJson))]
[JsonSerializable(typeof(LsJson))]
internal sealed partial class ArborJsonContext : JsonSerializerContext;
