using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Export;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands;

/// <summary>
/// <c>arbor export COMMIT [--output=FILE] [--subpath=PATH] [--prefix=PATH] [--no-xattrs]</c>: stream a
/// commit as a GNU tar archive, to stdout or to FILE (written under a temporary name and renamed
/// into place, so a failed export leaves no partial archive behind).
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var noXattrs = new Option<bool>("--no-xattrs") { Description = "Skip output of extended attributes" };
        var subpath = new Option<string?>("--subpath") { Description = "Checkout sub-directory PATH", HelpName = "PATH" };
        var prefix = new Option<string?>("--prefix") { Description = "Add PATH as prefix to archive pathnames", HelpName = "PATH" };
        var output = new Option<string?>("--output", "-o") { Description = "Output to PATH ", HelpName = "PATH" };
        var commit = new Argument<string?>("COMMIT") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("export", "Stream COMMIT to stdout in tar format") { repo, noXattrs, subpath, prefix, output, commit };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var rev = p.GetValue(commit) ?? throw new RepoException("A COMMIT argument is required");
            var options = new TarExportOptions { Subpath = p.GetValue(subpath), Prefix = p.GetValue(prefix) };
            // --no-xattrs is accepted for compatibility: the GNU tar format carries no xattrs either way
            if (p.GetValue(output) is { } path) TarExporter.ExportToFile(r, RevParser.Resolve(r, rev), path, options);
            else
            {
                using var stdout = CommandContext.OpenProcessStdout();
                using var buffered = new BufferedStream(stdout, 1 << 20);
                TarExporter.Export(r, RevParser.Resolve(r, rev), buffered, options with { PadToRecord = true });
            }
            return ExitCodes.Success;
        });
        return cmd;
    }
}
