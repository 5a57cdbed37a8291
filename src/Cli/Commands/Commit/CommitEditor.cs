using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Arbor.Repo.Core;

namespace Arbor.Cli.Commands.Commit;

/// <summary>
/// <c>commit --editor</c>: the message is written in $OSTREE_EDITOR, $VISUAL or $EDITOR (else
/// <c>vi</c>, unless the terminal is dumb) on a temporary file pre-filled as ostree 2022.7 fills it
/// (its instructions, the branch, the <c>--subject</c>); the first line kept becomes the subject, the
/// rest the body, lines starting with <c>#</c> dropped, trailing spaces trimmed.
/// </summary>
internal static class CommitEditor
{
    public static (string Subject, string Body) Edit(string? branch, string? subject)
    {
        var template = new StringBuilder(
            "\n# Please enter the commit message for your changes. The first line will\n"
            + "# become the subject, and the remainder the body. Lines starting\n"
            + "# with '#' will be ignored, and an empty message aborts the commit.");
        if (branch is not null) template.Append("\n#\n# Branch: ").Append(branch);
        if (subject is not null) template.Append('\n').Append(subject);
        template.Append('\n');

        var editor = EditorCommand();
        var file = Path.Combine(Path.GetTempPath(), "." + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..6]);
        try
        {
            File.WriteAllText(file, template.ToString());
            Run(editor, file);
            return Parse(File.ReadAllText(file));
        }
        finally { File.Delete(file); }
    }

    /// <summary>Splits the edited text as ostree does.</summary>
    internal static (string Subject, string Body) Parse(string text)
    {
        string? subject = null;
        StringBuilder? body = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd(' ', '\t', '\r', '\f', '\v');
            if (line.StartsWith('#')) continue;
            if (line.Length == 0 && body is null) continue; // blank lines before the body
            if (subject is null) subject = line;
            else if (body is null) body = new StringBuilder(line);
            else body.Append('\n').Append(line);
        }
        if (subject is null) throw new RepoException("Aborting commit due to empty commit subject.");
        return (subject, body?.ToString().TrimEnd(' ', '\t', '\r', '\n', '\f', '\v') ?? "");
    }

    private static string EditorCommand()
    {
        foreach (var name in new[] { "OSTREE_EDITOR", "VISUAL", "EDITOR" })
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) return value;
        if (Environment.GetEnvironmentVariable("TERM") is null or "dumb") throw new RepoException("Terminal is dumb, but EDITOR unset");
        return "vi";
    }

    /// <summary>Runs the editor through the shell (so "$EDITOR" may carry arguments), on the terminal the command has.</summary>
    private static void Run(string editor, string file)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", editor + " \"$@\"", editor, file }) psi.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(psi) ?? throw new RepoException($"There was a problem with the editor '{editor}'");
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new RepoException($"There was a problem with the editor '{editor}'Child process exited with code {process.ExitCode}");
        }
        catch (Win32Exception e)
        {
            throw new RepoException($"There was a problem with the editor '{editor}'{e.Message}");
        }
    }
}
