using Arbor.Repo.Core;
using Arbor.Repo.Summary;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Signed static deltas (<c>generate --sign</c>, <c>verify</c>, <c>apply-offline KEY-ID</c>) and
/// signed commits and summaries against the real ostree 2022.7. Debian builds ostree without
/// libsodium, so the two tools meet on ostree's <c>dummy</c> engine (enabled by
/// <c>OSTREE_DUMMY_SIGN_ENABLED=1</c>, set for this whole test process and inherited by the
/// ostree it runs): it proves the <c>OSTSGNDT</c> wrapper, the signed bytes and the metadata keys
/// are ostree's; Ed25519 over the same wrapper is covered by Arbor's own tests.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SignedStaticDeltaCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("signed-delta");
    private readonly string _repo;
    private readonly Checksum _c1, _c2;

    public SignedStaticDeltaCompatTests()
    {
        Environment.SetEnvironmentVariable("OSTREE_DUMMY_SIGN_ENABLED", "1");
        OstreeOracle.Require();
        _repo = _tmp.Combine("repo");
        OstreeOracle.RunOk("init", $"--repo={_repo}", "--mode=archive");
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        DeltaTestTree.Write(t1, 1);
        DeltaTestTree.Write(t2, 2);
        _c1 = Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_repo}", "-b", "main", "-s", "one", $"--tree=dir={t1}").Trim());
        _c2 = Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_repo}", "-b", "main", "-s", "two", $"--tree=dir={t2}").Trim());
    }

    public void Dispose() => _tmp.Dispose();

    private string DeltaId => $"{_c1}-{_c2}";
    private string DeltaDir => Path.Combine(_repo, StaticDeltaNames.RelativeDirectory(_c1, _c2));

    /// <summary>A repository holding C1, ready to take the C1→C2 delta.</summary>
    private string Client(string name)
    {
        var client = _tmp.Combine(name);
        OstreeOracle.RunOk("init", $"--repo={client}", "--mode=bare-user");
        OstreeOracle.RunOk("pull-local", $"--repo={client}", _repo, _c1.ToString());
        return client;
    }

    private static void AssertSame(CliResult theirs, CliResult ours)
    {
        Assert.Equal(theirs.ExitCode == 0 ? 0 : 1, ours.ExitCode);
        Assert.Equal(theirs.Stdout, ours.Stdout);
        Assert.Equal(theirs.Stderr, ours.Stderr);
    }

    [Fact]
    public void OstreeVerifiesAndAppliesADeltaArborSigned()
    {
        CliRunner.RunOk("static-delta", "generate", $"--repo={_repo}", "--sign-type=dummy", "--sign=secret", DeltaId.Split('-')[1]);
        Assert.Equal("OSTSGNDT", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(Path.Combine(DeltaDir, "superblock")), 0, 8));
        Assert.Equal("Verification OK\n", OstreeOracle.RunOk("static-delta", "verify", $"--repo={_repo}", "--sign-type=dummy", DeltaId, "secret"));
        Assert.Contains("\nSigned: yes\n", OstreeOracle.RunOk("static-delta", "show", $"--repo={_repo}", DeltaId));

        var wrong = Client("wrong");
        var refused = OstreeOracle.Run("static-delta", "apply-offline", $"--repo={wrong}", "--sign-type=dummy", DeltaDir, "other");
        Assert.Equal((1, "error: signature: dummy: incorrect signatures found: 1\n"), (refused.ExitCode, refused.Stderr));
        Assert.False(OstreeOracle.Run("show", $"--repo={wrong}", _c2.ToString()).ExitCode == 0);

        var client = Client("client");
        OstreeOracle.RunOk("static-delta", "apply-offline", $"--repo={client}", "--sign-type=dummy", DeltaDir, "secret");
        Assert.Equal(0, OstreeOracle.Run("fsck", $"--repo={client}").ExitCode);
        Assert.Equal(OstreeOracle.RunOk("ls", "-R", $"--repo={_repo}", _c2.ToString()), OstreeOracle.RunOk("ls", "-R", $"--repo={client}", _c2.ToString()));
    }

    [Fact]
    public void ArborVerifiesAndAppliesADeltaOstreeSigned()
    {
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_repo}", "--sign-type=dummy", "--sign=secret", "main");
        Assert.Equal("Verification OK\n", CliRunner.RunOk("static-delta", "verify", $"--repo={_repo}", "--sign-type=dummy", DeltaId, "secret"));
        Assert.Contains("\nSigned: yes\n", CliRunner.RunOk("static-delta", "show", $"--repo={_repo}", DeltaId));

        var wrong = Client("wrong");
        var refused = CliRunner.Run("static-delta", "apply-offline", $"--repo={wrong}", "--sign-type=dummy", DeltaDir, "other");
        Assert.Equal((1, "error: signature: dummy: incorrect signatures found: 1\n"), (refused.ExitCode, refused.Stderr));
        Assert.NotEqual(0, OstreeOracle.Run("show", $"--repo={wrong}", _c2.ToString()).ExitCode);

        // core.sign-verify-deltas: a signed delta needs a key, as ostree says
        OstreeOracle.RunOk("config", $"--repo={wrong}", "set", "core.sign-verify-deltas", "true");
        AssertSame(OstreeOracle.Run("static-delta", "apply-offline", $"--repo={wrong}", DeltaDir),
            CliRunner.Run("static-delta", "apply-offline", $"--repo={wrong}", DeltaDir));

        var client = Client("client");
        CliRunner.RunOk("static-delta", "apply-offline", $"--repo={client}", "--sign-type=dummy", Path.Combine(DeltaDir, "superblock"), "secret");
        Assert.Equal(0, OstreeOracle.Run("fsck", $"--repo={client}").ExitCode);
        Assert.Equal(OstreeOracle.RunOk("ls", "-R", $"--repo={_repo}", _c2.ToString()), OstreeOracle.RunOk("ls", "-R", $"--repo={client}", _c2.ToString()));
    }

    [Fact]
    public void PullUsesASignedDelta()
    {
        // ostree 2022.7's pull cannot read a signed superblock; Arbor's unwraps it
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_repo}", "--sign-type=dummy", "--sign=secret", "main");
        OstreeOracle.RunOk("summary", "-u", $"--repo={_repo}");
        var client = Client("client");
        OstreeOracle.RunOk("remote", "add", $"--repo={client}", "--no-gpg-verify", "origin", $"file://{_repo}");
        CliRunner.RunOk("pull", $"--repo={client}", "--require-static-deltas", "origin", "main");
        Assert.Equal(_c2 + "\n", OstreeOracle.RunOk("rev-parse", $"--repo={client}", "origin:main"));
        Assert.Equal(0, OstreeOracle.Run("fsck", $"--repo={client}").ExitCode);
    }

    [Theory]
    [InlineData("signed", "secret")]
    [InlineData("signed", "other")]
    [InlineData("signed", "other", "secret")]
    [InlineData("signed")]
    [InlineData("unsigned", "secret")]
    [InlineData("missing", "secret")]
    [InlineData("nonsense", "secret")]
    public void VerifyPrintsWhatOstreePrints(string which, params string[] keys)
    {
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_repo}", "--sign-type=dummy", "--sign=secret", "main");
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_repo}", "--empty", "main");
        var id = which switch
        {
            "signed" => DeltaId,
            "unsigned" => _c2.ToString(),
            "missing" => _c1.ToString(),
            _ => "nonsense",
        };
        string[] args = ["static-delta", "verify", $"--repo={_repo}", "--sign-type=dummy", id, .. keys];
        AssertSame(OstreeOracle.Run(args), CliRunner.Run(args));
    }

    [Fact]
    public void DummySignedCommitsAndSummariesAreOstrees()
    {
        // ostree verifies what Arbor signed, and Arbor what ostree signed; the detached metadata is byte-identical
        CliRunner.RunOk("sign", $"--repo={_repo}", "-s", "dummy", _c1.ToString(), "k1");
        Assert.Equal("dummy: Signature verified\n", OstreeOracle.RunOk("sign", $"--repo={_repo}", "-s", "dummy", "--verify", _c1.ToString(), "k1"));
        var ours = File.ReadAllBytes(Path.Combine(_repo, "objects", _c1.ToString()[..2], _c1.ToString()[2..] + ".commitmeta"));
        OstreeOracle.RunOk("sign", $"--repo={_repo}", "-s", "dummy", _c2.ToString(), "k1");
        Assert.Equal("dummy: Signature verified\n", CliRunner.RunOk("sign", $"--repo={_repo}", "-s", "dummy", "--verify", _c2.ToString(), "k1"));
        Assert.Equal(ours, File.ReadAllBytes(Path.Combine(_repo, "objects", _c2.ToString()[..2], _c2.ToString()[2..] + ".commitmeta")));
        AssertSame(OstreeOracle.Run("sign", $"--repo={_repo}", "-s", "dummy", "--verify", _c2.ToString(), "k2"),
            CliRunner.Run("sign", $"--repo={_repo}", "-s", "dummy", "--verify", _c2.ToString(), "k2"));

        // commit --sign and summary --sign write the same metadata as ostree's
        var tree = _tmp.Combine("t3");
        DeltaTestTree.Write(tree, 3);
        string[] commit = ["commit", $"--repo={_repo}", "-b", "signed", "-s", "three", "--timestamp=2024-01-01 00:00:00 +0000", "--sign-type=dummy", "--sign=k3", $"--tree=dir={tree}"];
        var c3 = Checksum.Parse(CliRunner.RunOk(commit).Trim());
        var arborMeta = File.ReadAllBytes(Path.Combine(_repo, "objects", c3.ToString()[..2], c3.ToString()[2..] + ".commitmeta"));
        Assert.Equal("dummy: Signature verified\n", OstreeOracle.RunOk("sign", $"--repo={_repo}", "-s", "dummy", "--verify", "signed", "k3"));
        var theirs = _tmp.Combine("theirs");
        OstreeOracle.RunOk("init", $"--repo={theirs}", "--mode=archive");
        Assert.Equal(c3, Checksum.Parse(OstreeOracle.RunOk([.. commit[..1], $"--repo={theirs}", .. commit[2..]]).Trim()));
        Assert.Equal(File.ReadAllBytes(Path.Combine(theirs, "objects", c3.ToString()[..2], c3.ToString()[2..] + ".commitmeta")), arborMeta);

        OstreeOracle.RunOk("summary", "-u", $"--repo={theirs}", "--sign-type=dummy", "--sign=s1");
        var ostreeSig = File.ReadAllBytes(Path.Combine(theirs, "summary.sig"));
        File.Delete(Path.Combine(theirs, "summary.sig"));
        CliRunner.RunOk("summary", "-u", $"--repo={theirs}", "--sign-type=dummy", "--sign=s1");
        Assert.Equal(ostreeSig, File.ReadAllBytes(Path.Combine(theirs, "summary.sig")));
    }
}
