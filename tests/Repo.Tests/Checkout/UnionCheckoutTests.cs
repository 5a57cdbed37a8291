using Arbor.Repo.Core;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>--union, --union-add and --union-identical over an existing, locally changed checkout, against ostree.</summary>
public sealed class UnionCheckoutTests(UnionCheckoutTests.Fixture fixture) : IClassFixture<UnionCheckoutTests.Fixture>, IDisposable
{
    public sealed class Fixture : IDisposable
    {
        public OracleRepoSet Repos { get; } = new(FeatureTree.Create, "bare", "bare-user", "archive");
        public void Dispose() => Repos.Dispose();
    }

    private readonly TempDirectory _tmp = new("union");

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string, string, string, bool> Cases() => new()
    {
        // repo mode, base checkout flags, union flags, change the base first
        { "bare", "-H", "--union", true },
        { "bare", "-H", "--union-add", true },
        { "bare", "-H", "--union -C", true },
        { "bare", "-H", "--union-identical -H", false },
        { "bare", "-H", "--union-identical -H", true },
        { "bare", "-C", "--union-identical -H", false },
        { "archive", "", "--union", true },
        { "archive", "", "--union-add", true },
        { "archive", "", "--union", false },
        { "bare-user", "-U -H", "-U --union", true },
        { "bare-user", "-U -H", "-U --union-add", true },
        { "bare-user", "-U -H", "-U --union-identical -H", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesOstree(string mode, string baseFlags, string unionFlags, bool change)
    {
        var repo = fixture.Repos.RepoPath(mode);
        var commit = fixture.Repos.Commit(mode);
        string expected = _tmp.Combine("ostree"), actual = _tmp.Combine("arbor");
        foreach (var dest in new[] { expected, actual })
        {
            Assert.Equal(0, CheckoutOracle.Ostree(repo, baseFlags, commit, dest).ExitCode);
            if (change) Change(dest);
        }
        var o = CheckoutOracle.Ostree(repo, unionFlags, commit, expected);
        if (o.ExitCode != 0)
        {
            var e = Assert.ThrowsAny<ArborException>(() => CheckoutOracle.Arbor(repo, unionFlags, commit, actual));
            Assert.Equal(CheckoutOracle.OstreeError(o), e.Message);
            return;
        }
        CheckoutOracle.Arbor(repo, unionFlags, commit, actual);
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual), TreeAspects.Default | TreeAspects.ZeroMtime);
    }

    /// <summary>Local changes: replaced content, a removed file, an added file, a changed directory mode, a file where a symlink was.</summary>
    private static void Change(string root)
    {
        File.Delete(Path.Combine(root, "a.txt"));
        File.WriteAllText(Path.Combine(root, "a.txt"), "changed locally\n");
        File.Delete(Path.Combine(root, "empty"));
        File.WriteAllText(Path.Combine(root, "bin", "extra"), "added locally\n");
        File.Delete(Path.Combine(root, "link"));
        File.WriteAllText(Path.Combine(root, "link"), "not a link any more\n");
        ProcessRunner.RunOk("chmod", "0750", Path.Combine(root, "deep"));
    }
}
