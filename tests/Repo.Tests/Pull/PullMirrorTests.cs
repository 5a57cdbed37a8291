using System.Security.Cryptography;
using Arbor.Repo.Pull;

namespace Arbor.Repo.Tests.Pull;

/// <summary>Remotes that name their mirrors: <c>mirrorlist=URL</c> and <c>metalink=URL</c> (test-pull-mirrorlist.sh, test-pull-metalink.sh).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullMirrorTests : IDisposable
{
    private readonly PullFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task AMirrorThatAnswers404PassesTheRequestToTheNextOne()
    {
        var commit = _f.CommitSample();
        File.WriteAllText(Path.Combine(_f.Www, "mirrorlist"), $"\n# comment\n\n{_f.Server.Url("non-existent-repo")}\n{_f.Url}\n");
        var client = _f.NewClient(url: "mirrorlist=" + _f.Server.Url("mirrorlist"));

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
    }

    private string WriteMetalink(string? sha512 = null)
    {
        var summary = File.ReadAllBytes(Path.Combine(_f.SourceRepo, "summary"));
        File.WriteAllText(Path.Combine(_f.SourceRepo, "summary.bad"), "broken");
        File.WriteAllText(Path.Combine(_f.Www, "metalink.xml"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <metalink version="3.0" xmlns="http://www.metalinker.org/">
              <deeply><nested>hello</nested></deeply>
              <files>
                <file name="summary">
                  <size>{summary.Length}</size>
                  <verification>
                    <hash type="md5">{Convert.ToHexStringLower(MD5.HashData(summary))}</hash>
                    <hash type="sha512">{sha512 ?? Convert.ToHexStringLower(SHA512.HashData(summary))}</hash>
                  </verification>
                  <resources maxconnections="1">
                    <url protocol="http" type="http" location="US" preference="100">{_f.Url}/summary.bad</url>
                    <url protocol="http" type="http" location="US" preference="99">{_f.Url}/nosuchfile</url>
                    <url protocol="http" type="http" location="US" preference="98">{_f.Url}/summary</url>
                  </resources>
                </file>
              </files>
            </metalink>
            """);
        return "metalink=" + _f.Server.Url("metalink.xml");
    }

    [Fact]
    public async Task AMetalinkLeadsToTheFirstTargetWithTheRightSizeAndDigest()
    {
        var commit = _f.CommitSample();
        var client = _f.NewClient(url: WriteMetalink());

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
    }

    [Theory]
    [InlineData("bacon", "Invalid hash digest for sha512")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "Exhausted 3 metalink targets, last error: Expected checksum is 0000")]
    public async Task AMetalinkThatDoesNotMatchFailsAsInOstree(string sha512, string message)
    {
        _f.CommitSample();
        var client = _f.NewClient(url: WriteMetalink(sha512));

        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
