using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary><c>arbor checkout</c> and <c>ostree checkout</c> with the same arguments: same exit code, same error line, same tree.</summary>
public sealed class CheckoutCompatTests(CheckoutCompatTests.Fixture fixture) : IClassFixture<CheckoutCompatTests.Fixture>, IDisposable
{
    public sealed class Fixture : IDisposable
    {
        public OracleRepoSet Repos { get; } = OracleRepoSet.WithFeatureTree();
        public void Dispose() => Repos.Dispose();
    }

    private readonly TempDirectory _tmp = new("co-compat");

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string, string> Cases() => new()
    {
        // repo mode, arguments ({dest} is replaced per tool)
        { "bare", "-H main {dest}" },
        { "bare", "main {dest}" },
        { "bare", "-U main {dest}" },
        { "bare", "-U -H main {dest}" },
        { "bare", "-C main {dest}" },
        { "bare", "--force-copy --user-mode main {dest}" },
        { "bare", "-M main {dest}" },
        { "bare", "--require-hardlinks --subpath=/home main {dest}" },
        { "bare", "--subpath=/a.txt main {dest}" },
        { "bare", "--subpath=/nope main {dest}" },
        { "bare", "--subpath=/nope --allow-noent main {dest}" },
        { "bare", "--subpath=/nope --allow-noent -H main {dest}" },
        { "bare", "--subpath=home/ main {dest}" },
        { "bare", "--subpath=/a.txt/x main {dest}" },
        { "bare", "--union --union-add main {dest}" },
        { "bare", "--union --union-identical main {dest}" },
        { "bare", "--union-add --union-identical main {dest}" },
        { "bare", "--union-identical main {dest}" },
        { "bare", "-H -C main {dest}" },
        { "bare", "--fsync=maybe main {dest}" },
        { "bare", "--fsync=no main {dest}" },
        { "bare", "--fsync=TRUE main {dest}" },
        { "bare", "nosuchref {dest}" },
        { "bare", "0000000000000000000000000000000000000000000000000000000000000000 {dest}" },
        { "bare", "main {tmp}/missing/parent/dest" },
        { "bare", "" },
        { "bare-user", "main {dest}" },
        { "bare-user", "-U main {dest}" },
        { "bare-user", "-U -H main {dest}" },
        { "bare-user", "-H main {dest}" },
        { "bare-user-only", "main {dest}" },
        { "bare-user-only", "-H main {dest}" },
        { "archive", "main {dest}" },
        { "archive", "-U main {dest}" },
        { "archive", "-H main {dest}" },
        { "archive", "--disable-cache -U main {dest}" },
        { "archive", "--subpath=/with space main {dest}" },
        { "archive", "--bareuseronly-dirs --subpath=/tmp main {dest}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameOutcomeAsOstree(string mode, string arguments)
    {
        var repos = fixture.Repos;
        string expected = _tmp.Combine("ostree"), actual = _tmp.Combine("arbor");
        var o = OstreeOracle.Run(Args(repos.RepoPath(mode), arguments, expected));
        var a = CliRunner.Run(Args(repos.RepoPath(mode), arguments, actual));
        Assert.True(o.ExitCode == a.ExitCode, $"ostree:\n{o}\narbor:\n{a}");
        Assert.Equal(ErrorLine(o.Stderr), ErrorLine(a.Stderr));
        Assert.Equal(o.Stdout, a.Stdout);
        if (o.ExitCode == 0 && Directory.Exists(expected))
            TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual));
        else if (o.ExitCode == 0)
            Assert.False(Directory.Exists(actual));
        else
            Assert.False(Directory.Exists(actual), "a failed checkout leaves no destination");
    }

    [Theory]
    [InlineData("bare", "-H", "--union")]
    [InlineData("bare", "-H", "--union-add")]
    [InlineData("bare", "-H", "--union-identical -H")]
    [InlineData("archive", "", "--union")]
    [InlineData("archive", "", "--union-add -C")]
    public void UnionOverAnEarlierCheckout(string mode, string first, string second)
    {
        var repo = fixture.Repos.RepoPath(mode);
        string expected = _tmp.Combine("ostree"), actual = _tmp.Combine("arbor");
        foreach (var dest in new[] { expected, actual })
        {
            OstreeOracle.RunOk(Args(repo, $"{first} main {{dest}}", dest));
            File.Delete(Path.Combine(dest, "bin", "tool"));
            File.WriteAllText(Path.Combine(dest, "bin", "tool"), "edited\n");
            File.WriteAllText(Path.Combine(dest, "local"), "local\n");
        }
        var o = OstreeOracle.Run(Args(repo, $"{second} main {{dest}}", expected));
        var a = CliRunner.Run(Args(repo, $"{second} main {{dest}}", actual));
        Assert.True(o.ExitCode == a.ExitCode, $"ostree:\n{o}\narbor:\n{a}");
        Assert.Equal(ErrorLine(o.Stderr), ErrorLine(a.Stderr));
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual));
    }

    [Fact]
    public void FromFileChecksOutEachRecord()
    {
        var repo = fixture.Repos.RepoPath("bare");
        var list = _tmp.Combine("list");
        File.WriteAllText(list, "main\0/home\0main\0/bin\0");
        string expected = _tmp.Combine("ostree"), actual = _tmp.Combine("arbor");
        var o = OstreeOracle.Run("checkout", $"--repo={repo}", "--union", $"--from-file={list}", expected);
        var a = CliRunner.Run("checkout", $"--repo={repo}", "--union", $"--from-file={list}", actual);
        Assert.Equal(o.ExitCode, a.ExitCode);
        Assert.Equal(0, a.ExitCode);
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual));
        Assert.True(File.Exists(Path.Combine(actual, "tool")));
        Assert.True(Directory.Exists(Path.Combine(actual, "user")));
    }

    [Fact]
    public void FromFileErrorsNameTheTree()
    {
        var repo = fixture.Repos.RepoPath("bare");
        var list = _tmp.Combine("list");
        File.WriteAllText(list, "main\0/nope\0");
        var o = OstreeOracle.Run("checkout", $"--repo={repo}", $"--from-file={list}", _tmp.Combine("ostree"));
        var a = CliRunner.Run("checkout", $"--repo={repo}", $"--from-file={list}", _tmp.Combine("arbor"));
        Assert.Equal(o.ExitCode, a.ExitCode);
        Assert.Equal(ErrorLine(o.Stderr), ErrorLine(a.Stderr));
    }

    private string[] Args(string repo, string arguments, string dest) =>
        ["checkout", $"--repo={repo}", .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(x => x.Replace("{dest}", dest).Replace("{tmp}", _tmp.Path))
            .Select(x => x == "--subpath=/with" ? "--subpath=/with space" : x)
            .Where(x => x != "space")];

    private static string? ErrorLine(string stderr) =>
        stderr.Split('\n').LastOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal));
}
