using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>Runs the same checkout through the real ostree and through <see cref="TreeCheckout"/>.</summary>
internal static class CheckoutOracle
{
    /// <summary>The ostree flags this helper understands, mapped to options.</summary>
    public static CheckoutOptions Options(string flags, string? subpath = null) => new()
    {
        Mode = Has(flags, "-U") ? CheckoutMode.User : CheckoutMode.None,
        RequireHardlinks = Has(flags, "-H"),
        ForceCopy = Has(flags, "-C"),
        Overwrite = Has(flags, "--union-identical") ? CheckoutOverwriteMode.UnionIdentical
            : Has(flags, "--union-add") ? CheckoutOverwriteMode.AddFiles
            : Has(flags, "--union") ? CheckoutOverwriteMode.UnionFiles
            : CheckoutOverwriteMode.None,
        ProcessWhiteouts = Has(flags, "--process-passthrough-whiteouts"),
        ProcessDockerWhiteouts = Has(flags, "--whiteouts"),
        BareUserOnlyDirs = Has(flags, "-M"),
        Subpath = subpath,
    };

    private static bool Has(string flags, string flag) => flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(flag);

    public static CliResult Ostree(string repo, string flags, string commit, string destination, string? subpath = null)
    {
        var args = new List<string> { "checkout", $"--repo={repo}" };
        args.AddRange(flags.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (subpath is not null) args.Add($"--subpath={subpath}");
        args.Add(commit);
        args.Add(destination);
        return OstreeOracle.Run([.. args]);
    }

    public static CheckoutStats Arbor(string repo, string flags, string commit, string destination, string? subpath = null) =>
        TreeCheckout.Run(Repository.Open(repo), Checksum.Parse(commit), destination, Options(flags, subpath));

    /// <summary>ostree's one-line error ("error: X") without the prefix.</summary>
    public static string OstreeError(CliResult r) =>
        r.Stderr.Split('\n').Last(l => l.StartsWith("error: ", StringComparison.Ordinal))["error: ".Length..];
}
