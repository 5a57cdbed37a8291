using Arbor.Repo.Core;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Remotes;

/// <summary>A remote's Netscape cookie jar: read as ostree reads it, matched as libcurl matches it.</summary>
public sealed class CookieJarTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _tmp = new("cookie-jar");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("example.com\tFALSE\t/\tFALSE\t0\tn\tv", true)]
    [InlineData("example.com FALSE / FALSE 0 n v extra", true)]
    [InlineData("# Netscape HTTP Cookie File", false)]
    [InlineData("example.com\tFALSE\t/\tFALSE\tnever\tn\tv", false)]
    [InlineData("example.com\tFALSE\t/\tFALSE\t0\tn", false)]
    [InlineData("", false)]
    public void ALineIsACookieWhenItHasSevenFieldsAndANumericExpiry(string line, bool cookie) =>
        Assert.Equal(cookie, CookieJar.Parse(line) is not null);

    [Theory]
    [InlineData("example.com\tFALSE\t/\tFALSE\t0", "http://example.com/repo/config", true)]
    [InlineData("example.com\tFALSE\t/\tFALSE\t0", "http://a.example.com/repo/config", false)]
    [InlineData(".example.com\tTRUE\t/\tFALSE\t0", "http://a.example.com/repo/config", true)]
    [InlineData(".example.com\tTRUE\t/\tFALSE\t0", "http://example.com/repo/config", true)]
    [InlineData(".example.com\tTRUE\t/\tFALSE\t0", "http://badexample.com/", false)]
    [InlineData("example.com\tFALSE\t/repo\tFALSE\t0", "http://example.com/repo/config", true)]
    [InlineData("example.com\tFALSE\t/repo\tFALSE\t0", "http://example.com/repository/config", false)]
    [InlineData("example.com\tFALSE\t/repo/\tFALSE\t0", "http://example.com/repo/config", true)]
    [InlineData("example.com\tFALSE\t/\tTRUE\t0", "http://example.com/", false)]
    [InlineData("example.com\tFALSE\t/\tTRUE\t0", "https://example.com/", true)]
    [InlineData("example.com\tFALSE\t/\tFALSE\t1700000000", "http://example.com/", false)]
    [InlineData("example.com\tFALSE\t/\tFALSE\t2584871534", "http://example.com/", true)]
    public void ACookieGoesWhereLibcurlSendsIt(string fields, string url, bool sent) =>
        Assert.Equal(sent, CookieJar.Parse(fields + "\tn\tv")!.Matches(new Uri(url), Now));

    [Fact]
    public void TheHeaderNamesEveryMatchingCookieLongestPathFirst()
    {
        var cookies = new[] { "h\tFALSE\t/\tFALSE\t0\ta\t1", "h\tFALSE\t/r\tFALSE\t0\tb\t2", "other\tFALSE\t/\tFALSE\t0\tc\t3" }
            .Select(l => CookieJar.Parse(l)!).ToList();
        Assert.Equal("b=2; a=1", CookieJar.HeaderFor(cookies, new Uri("http://h/r/x"), Now));
        Assert.Null(CookieJar.HeaderFor(cookies, new Uri("http://nowhere/"), Now));
    }

    [Fact]
    public void AddAppendsAndDeleteRewritesThenComplainsWhenNothingMatched()
    {
        var repo = Repository.Create(_tmp.Combine("repo"), RepoMode.Archive);
        var jar = CookieJar.For(repo, "origin");
        Assert.Empty(jar.Cookies());
        jar.Add("example.com", "/", "a", "1", Now);
        jar.Add(".example.com", "/p", "b", "2", Now);
        Assert.Equal("example.com\tFALSE\t/\tFALSE\t2584872000\ta\t1\n.example.com\tTRUE\t/p\tFALSE\t2584872000\tb\t2\n",
            File.ReadAllText(Path.Combine(repo.Path, "origin.cookies.txt")));
        jar.Delete("example.com", "/", "a");
        Assert.Equal(["b"], jar.Cookies().Select(c => c.Name));
        Assert.Equal("Cookie not found in jar", Assert.Throws<RepoException>(() => jar.Delete("example.com", "/", "a")).Message);
        Assert.Equal(["b"], jar.Cookies().Select(c => c.Name));
    }
}
