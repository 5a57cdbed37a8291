using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Pull;
using Arbor.Repo.Remotes;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Pull;

/// <summary>
/// Detached metadata that is not a valid a{sv}, as ostree takes it (test-commit-sign.sh "repull
/// corrupted"): over HTTP read as GLib reads untrusted data and stored in GLib's normal form, from
/// a local repository copied as it is; an emptied one replaces the puller's.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullDetachedMetadataTests : IDisposable
{
    private static readonly byte[] Bork = "borkborkbork\n"u8.ToArray();

    /// <summary>What the real ostree stores for <see cref="Bork"/>: three entries <c>{'': &lt;()&gt;}</c>.</summary>
    private const string BorkNormalForm = "0000000000000000000028290100000000000000000000000000282901000000000000000000000000002829010d1d2d";

    private readonly PullFixture _f = new();

    public void Dispose() => _f.Dispose();

    private string CommitMeta(string repo, Checksum commit) => Path.Combine(repo, RepoLayout.CommitMetaPath(commit));

    [Fact]
    public async Task CorruptDetachedMetadataIsStoredInGLibsNormalFormAsOstreeStoresIt()
    {
        var commit = _f.CommitSample();
        File.WriteAllBytes(CommitMeta(_f.SourceRepo, commit), Bork);
        var client = _f.NewClient(RepoMode.Archive);

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        var stored = File.ReadAllBytes(CommitMeta(client.Repo.Path, commit));
        Assert.Equal(BorkNormalForm, Convert.ToHexStringLower(stored));
        var oracle = _f.Scratch("oracle");
        OstreeOracle.RunOk("init", $"--repo={oracle}", "--mode=archive");
        OstreeOracle.RunOk("remote", "add", $"--repo={oracle}", "--no-gpg-verify", "origin", _f.Url);
        OstreeOracle.RunOk("pull", $"--repo={oracle}", "origin", "main");
        Assert.Equal(File.ReadAllBytes(CommitMeta(oracle, commit)), stored);
        // read back: three empty keys, no signatures
        Assert.Equal(["", "", ""], client.Repo.LoadDetachedMetadata(commit)!.Entries.Select(e => e.Key));
    }

    [Fact]
    public async Task DetachedMetadataGLibTakesForNormalIsKeptAndReadable()
    {
        // {'k': <(@as [], @as [])>} with the tuple's framing offset left out: GLib's normal-form check
        // passes an empty tuple of empty members, so ostree keeps these bytes
        var commit = _f.CommitSample();
        var odd = Convert.FromHexString("6b00000000000000002861736173290210");
        File.WriteAllBytes(CommitMeta(_f.SourceRepo, commit), odd);
        var client = _f.NewClient(RepoMode.Archive);

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(odd, File.ReadAllBytes(CommitMeta(client.Repo.Path, commit)));
        var entry = Assert.Single(client.Repo.LoadDetachedMetadata(commit)!.Entries);
        Assert.Equal(("k", "(asas)"), (entry.Key, entry.Value.Type.Signature));
    }

    [Fact]
    public async Task WithGpgVerificationCorruptDetachedMetadataHasNoSignatures()
    {
        var commit = _f.CommitSample();
        File.WriteAllBytes(CommitMeta(_f.SourceRepo, commit), Bork);
        var client = _f.NewClient();
        client.Remotes.Add("origin", _f.Url, [], replace: true); // gpg-verify defaults to true

        var e = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.Equal($"Commit {commit}: GPG verification enabled, but no signatures found (use gpg-verify=false in remote config to disable)", e.Message);
        Assert.False(File.Exists(CommitMeta(client.Repo.Path, commit)));
    }

    [Fact]
    public async Task ALocalPullCopiesCorruptDetachedMetadataAsItIs()
    {
        var commit = _f.CommitSample();
        File.WriteAllBytes(CommitMeta(_f.SourceRepo, commit), Bork);
        var dst = Repository.Create(_f.Scratch("local"), RepoMode.Archive);

        await Puller.PullLocalAsync(dst, _f.SourceRepo, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);

        // as ostree, which reads a repository's own detached metadata as trusted
        Assert.Equal(Bork, File.ReadAllBytes(CommitMeta(dst.Path, commit)));
    }

    [Fact]
    public async Task DeletedSignaturesAreDeletedOnThePullerToo()
    {
        var commit = _f.CommitSample();
        var source = Repository.Open(_f.SourceRepo);
        var (sk, pk) = Ed25519Keys.Generate();
        SignEngine.Ed25519.SignCommit(source, commit, sk);
        var client = _f.NewClient();
        await PullFixture.Pull(client, PullFixture.Options("main"));
        Assert.Single(SignatureMetadata.Get(client.Repo.LoadDetachedMetadata(commit), SignatureMetadata.Ed25519Key));

        // test-commit-sign.sh "pull sig deleted": ostree writes the emptied metadata as an empty file
        Assert.Equal(1, Ed25519Signer.DeleteCommitSignatures(source, commit, [Convert.FromBase64String(pk)]));
        Assert.Empty(File.ReadAllBytes(CommitMeta(_f.SourceRepo, commit)));
        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Empty(File.ReadAllBytes(CommitMeta(client.Repo.Path, commit)));
        Assert.Empty(SignatureMetadata.Get(client.Repo.LoadDetachedMetadata(commit), SignatureMetadata.Ed25519Key));
    }
}
