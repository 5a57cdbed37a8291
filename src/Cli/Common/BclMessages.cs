using System.Text.RegularExpressions;
using Arbor.Repo.Native;

namespace Arbor.Cli.Common;

/// <summary>
/// The BCL's file-operation sentences, reworded as "PATH: strerror" the way C tools (and ostree's
/// libglnx) put them, wherever they end up in an error line: "Access to the path 'P' is denied.",
/// "Could not find file 'P'." and "No space left on device : 'P'".
/// </summary>
internal static partial class BclMessages
{
    [GeneratedRegex(@"Access to the path '(?<path>[^']*)' is denied\.")]
    private static partial Regex AccessDenied();

    [GeneratedRegex(@"Could not find (?:file|a part of the path) '(?<path>[^']*)'\.")]
    private static partial Regex NotFound();

    // "{strerror} : '{path}'", what an IOException for an errno without a BCL sentence says
    [GeneratedRegex(@"(?<=^|: )(?<error>[^:']+?) : '(?<path>[^']*)'")]
    private static partial Regex ErrorWithPath();

    /// <summary>The message of <paramref name="e"/>, reworded; the errno of the exception itself when it carries one.</summary>
    public static string Reword(Exception e)
    {
        if (e is UnauthorizedAccessException && AccessDenied().Match(e.Message) is { Success: true } m && m.Value == e.Message)
            return $"{m.Groups["path"].Value}: {IoErrors.Describe(e)}";
        return Reword(e.Message);
    }

    public static string Reword(string message)
    {
        message = AccessDenied().Replace(message, m => $"{m.Groups["path"].Value}: Permission denied");
        message = NotFound().Replace(message, m => $"{m.Groups["path"].Value}: No such file or directory");
        return ErrorWithPath().Replace(message, m => $"{m.Groups["path"].Value}: {m.Groups["error"].Value}");
    }
}
