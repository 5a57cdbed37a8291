using Arbor.Repo.Commit;
using Arbor.Repo.Core;

namespace Arbor.Cli.Commands.Commit;

/// <summary>
/// <c>--tree=dir=PATH</c>, <c>tar=FILE</c> (<c>-</c> for stdin), <c>ref=REV</c> as ostree takes them,
/// and Arbor's <c>git=REPO[:REV]</c> (REV after the last ':', HEAD when absent).
/// </summary>
public static class TreeSpec
{
    public static TreeSource Parse(string spec)
    {
        int eq = spec.IndexOf('=');
        if (eq < 0) throw new RepoException($"Missing type in tree specification '{spec}'");
        var type = spec[..eq];
        var value = spec[(eq + 1)..];
        return type switch
        {
            "dir" => new TreeSource(TreeSourceKind.Directory, value),
            "tar" => new TreeSource(TreeSourceKind.Tar, value),
            "ref" => new TreeSource(TreeSourceKind.Ref, value),
            "git" => ParseGit(value),
            _ => throw new RepoException($"Invalid tree type specification '{type}'"),
        };
    }

    private static TreeSource ParseGit(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || Directory.Exists(value)) return new TreeSource(TreeSourceKind.Git, value);
        var rev = value[(colon + 1)..];
        return new TreeSource(TreeSourceKind.Git, value[..colon], rev.Length == 0 ? null : rev);
    }
}
