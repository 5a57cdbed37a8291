using System.Text.RegularExpressions;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>remote add-cookie|delete-cookie|list-cookies</c> against the real ostree 2022.7: the same
/// <c>REMOTE.cookies.txt</c> jar, the same listing, and a pull through nginx that refuses requests
/// without the cookie.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class RemoteCookieCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("remote-cookies");

    public RemoteCookieCompatTests() => OstreeOracle.Require();

    public void Dispose() => _tmp.Dispose();

    private string Init(string tool, string name, string url = "http://example.com/repo")
    {
        var path = _tmp.Combine(name);
        ToolRunner.RunOk(tool, "init", $"--repo={path}", "--mode=archive");
        ToolRunner.RunOk(tool, "remote", "add", $"--repo={path}", "--no-gpg-verify", "origin", url);
        return path;
    }

    /// <summary>The expiry (now + 25 years) differs by the seconds between the two runs.</summary>
    private static string WithoutExpiry(string text) => Expiry().Replace(text, "EXPIRES");

    [GeneratedRegex(@"\t\d{10}\t|Expires: [0-9: -]+ \+0000")]
    private static partial Regex Expiry();

    [Fact]
    public void AddDeleteAndListMakeTheSameJarAndOutput()
    {
        var o = Init("ostree", "o");
        var a = Init("arbor", "a");
        foreach (var (tool, repo) in new[] { ("ostree", o), ("arbor", a) })
        {
            ToolRunner.RunOk(tool, "remote", "add-cookie", $"--repo={repo}", "origin", "example.com", "/", "session", "abc");
            ToolRunner.RunOk(tool, "remote", "add-cookie", $"--repo={repo}", "origin", ".example.org", "/repo", "other", "x=y");
            ToolRunner.RunOk(tool, "remote", "add-cookie", $"--repo={repo}", "origin", "example.com", "/p", "third", "3");
        }
        Assert.Equal(WithoutExpiry(File.ReadAllText(Path.Combine(o, "origin.cookies.txt"))), WithoutExpiry(File.ReadAllText(Path.Combine(a, "origin.cookies.txt"))));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(o, "origin.cookies.txt")), File.GetUnixFileMode(Path.Combine(a, "origin.cookies.txt")));

        // ostree 2022.7 opens the jar relative to the current directory when listing: run it from the repo
        var listed = ProcessRunner.Run("/usr/bin/ostree", ["remote", "list-cookies", "--repo=.", "origin"], workingDirectory: o);
        var ours = ToolRunner.RunOk("arbor", "remote", "list-cookies", $"--repo={a}", "origin");
        Assert.Equal((0, WithoutExpiry(listed.Stdout)), (listed.ExitCode, WithoutExpiry(ours)));
        Assert.Contains("--\nDomain: .example.org\nPath: /repo\nName: other\nSecure: FALSE\nExpires: ", ours, StringComparison.Ordinal);

        foreach (var (tool, repo) in new[] { ("ostree", o), ("arbor", a) })
            ToolRunner.RunOk(tool, "remote", "delete-cookie", $"--repo={repo}", "origin", "example.com", "/", "session");
        Assert.Equal(WithoutExpiry(File.ReadAllText(Path.Combine(o, "origin.cookies.txt"))), WithoutExpiry(File.ReadAllText(Path.Combine(a, "origin.cookies.txt"))));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(o, "origin.cookies.txt")), File.GetUnixFileMode(Path.Combine(a, "origin.cookies.txt")));
    }

    [Theory]
    [InlineData("delete-cookie", "origin", "example.com", "/", "nosuch")]
    [InlineData("delete-cookie", "origin", "example.com", "/")]
    [InlineData("add-cookie", "origin", "example.com", "/", "name")]
    [InlineData("list-cookies")]
    [InlineData("list-cookies", "nosuchremote")]
    [InlineData("add-cookie", "nosuchremote", "example.com", "/", "name", "v")]
    public void SameOutcomeAsOstree(params string[] args)
    {
        var o = Init("ostree", "o");
        var a = Init("arbor", "a");
        var ro = ToolRunner.Run("ostree", ["remote", args[0], $"--repo={o}", .. args[1..]]);
        var ra = ToolRunner.Run("arbor", ["remote", args[0], $"--repo={a}", .. args[1..]]);
        // ostree prints its usage before a usage error; the error line itself is the same
        Assert.Equal((ro.ExitCode, ro.Stdout, LastLine(ro.Stderr)),
            (ra.ExitCode, ra.Stdout, LastLine(ra.Stderr)));
        Assert.Equal(Jars(o), Jars(a));
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    private static string[] Jars(string repo) => [.. Directory.EnumerateFiles(repo, "*.cookies.txt").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void PullSendsTheRemotesCookies()
    {
        var www = _tmp.Combine("www");
        var tree = _tmp.Combine("tree");
        Directory.CreateDirectory(www);
        SampleTree.Write(tree, 1);
        var served = RepoBuilders.OstreeCommit(Path.Combine(www, "repo"), tree, "main", "v1");
        using var nginx = NginxServer.Start(www);
        foreach (var tool in new[] { "ostree", "arbor" })
        {
            var repo = Init(tool, tool, nginx.Url("cookie/repo"));
            var refused = ToolRunner.Run(tool, "pull", $"--repo={repo}", "origin", "main");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("403", refused.Stderr, StringComparison.Ordinal);

            // a cookie for another host or another path is not sent
            ToolRunner.RunOk(tool, "remote", "add-cookie", $"--repo={repo}", "origin", "127.0.0.2", "/", "arbor_session", "ok");
            ToolRunner.RunOk(tool, "remote", "add-cookie", $"--repo={repo}", "origin", "127.0.0.1", "/elsewhere", "arbor_session", "ok");
            Assert.NotEqual(0, ToolRunner.Run(tool, "pull", $"--repo={repo}", "origin", "main").ExitCode);

            ToolRunner.RunOk(tool, "remote", "add-cookie", $"--repo={repo}", "origin", "127.0.0.1", "/cookie", "arbor_session", "ok");
            ToolRunner.RunOk(tool, "pull", $"--repo={repo}", "origin", "main");
            Assert.Equal(served, ToolRunner.RunOk(tool, "rev-parse", $"--repo={repo}", "origin:main").Trim());
            Assert.Contains("main", ToolRunner.RunOk(tool, "remote", "refs", $"--repo={repo}", "origin"), StringComparison.Ordinal);
        }
    }
}
