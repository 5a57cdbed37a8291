using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Import;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor checksum [--ignore-xattrs] PATH</c>: the object checksum of a file or directory, as ostree prints it.</summary>
public static class ChecksumCommand
{
    public static Command Create()
    {
        var ignoreXattrs = new Option<bool>("--ignore-xattrs") { Description = "Don't include xattrs in checksum" };
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("checksum", "Checksum a file or directory") { ignoreXattrs, paths };
        cmd.SetAction(p =>
        {
            // ostree checksums the first PATH and ignores the rest
            var path = (p.GetValue(paths) ?? []).FirstOrDefault() ?? throw new RepoException("A filename must be given");
            CommandContext.Get().Out.WriteLine(LocalFileChecksum.Compute(path, p.GetValue(ignoreXattrs)).ToString());
            return 0;
        });
        return cmd;
    }
}
