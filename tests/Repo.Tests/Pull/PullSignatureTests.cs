using Arbor.Repo.Pull;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Remotes;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Pull;

/// <summary>Remotes that require signatures: Ed25519 (ostree's sign API) and GPG (keys made by the real gpg).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullSignatureTests : IDisposable
{
    private readonly PullFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static RemoteOption[] Ed25519Verify(string publicKey) =>
        [RemoteOption.String("sign-verify", "true"), RemoteOption.String("verification-ed25519-key", publicKey)];

    [Fact]
    public async Task AnEd25519SignedCommitVerifiesAndItsSignatureIsKept()
    {
        var commit = _f.CommitSample();
        var (sk, pk) = Ed25519Keys.Generate();
        SignEngine.Ed25519.SignCommit(Repository.Open(_f.SourceRepo), commit, sk);
        var client = _f.NewClient(extra: Ed25519Verify(pk));

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        var sigs = SignatureMetadata.Get(client.Repo.LoadDetachedMetadata(commit), SignatureMetadata.Ed25519Key);
        var sig = Assert.Single(sigs);
        // an independent Ed25519 implementation agrees: the signature is over the exact commit bytes
        var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        verifier.Init(false, new Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters(Convert.FromBase64String(pk)));
        var bytes = client.Repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
        verifier.BlockUpdate(bytes, 0, bytes.Length);
        Assert.True(verifier.VerifySignature(sig));
    }

    [Fact]
    public async Task AnUnsignedCommitIsRejectedAndNothingIsWritten()
    {
        var commit = _f.CommitSample();
        var (_, pk) = Ed25519Keys.Generate();
        var client = _f.NewClient(extra: Ed25519Verify(pk));

        var e = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.Equal("Can't verify commit without detached metadata", e.Message);
        Assert.Null(client.Repo.Refs.TryRead("origin", "main"));
        Assert.False(client.Repo.HasObject(new ObjectName(commit, ObjectType.Commit)));
        Assert.DoesNotContain(_f.ObjectRequests(), r => r.Path.EndsWith(".dirtree", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACommitSignedWithAnotherKeyIsRejected()
    {
        var commit = _f.CommitSample();
        var (otherSk, _) = Ed25519Keys.Generate();
        var (_, pk) = Ed25519Keys.Generate();
        SignEngine.Ed25519.SignCommit(Repository.Open(_f.SourceRepo), commit, otherSk);
        var client = _f.NewClient(extra: Ed25519Verify(pk));

        var e = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.Equal($"Can't verify commit: ed25519: Signature couldn't be verified with: key '{Convert.ToHexStringLower(Convert.FromBase64String(pk))}'", e.Message);
        Assert.Null(client.Repo.Refs.TryRead("origin", "main"));
    }

    [Fact]
    public async Task TheSignaturesOfAStoredCommitAreFetchedAgain()
    {
        var commit = _f.CommitSample();
        var (sk, pk) = Ed25519Keys.Generate();
        SignEngine.Ed25519.SignCommit(Repository.Open(_f.SourceRepo), commit, sk);
        var client = _f.NewClient(extra: Ed25519Verify(pk));
        await PullFixture.Pull(client, PullFixture.Options("main"));
        var local = Path.Combine(client.Repo.Path, RepoLayout.CommitMetaPath(commit));
        File.Delete(local);

        // as ostree (test-signed-pull.sh "re-pull signature for stored commit")
        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.True(File.Exists(local));
        Assert.Single(SignatureMetadata.Get(client.Repo.LoadDetachedMetadata(commit), SignatureMetadata.Ed25519Key));
    }

    [Fact]
    public async Task AnEngineWithoutSignaturesIsPassedOver()
    {
        var commit = _f.CommitSample();
        var (sk, pk) = Ed25519Keys.Generate();
        SignEngine.Ed25519.SignCommit(Repository.Open(_f.SourceRepo), commit, sk);
        // sign-verify=true takes ed25519 and dummy; the commit carries no dummy signature
        var client = _f.NewClient(extra: [.. Ed25519Verify(pk), RemoteOption.String("verification-dummy-key", "x")]);

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
    }

    [Fact]
    public async Task KeysFromAVerificationFileAreTried()
    {
        var commit = _f.CommitSample();
        var (sk, pk) = Ed25519Keys.Generate();
        var (_, unrelated) = Ed25519Keys.Generate();
        SignEngine.Ed25519.SignCommit(Repository.Open(_f.SourceRepo), commit, sk);
        var keyFile = _f.Scratch("trusted.ed25519");
        File.WriteAllText(keyFile, unrelated + "\n" + pk + "\n");
        var client = _f.NewClient(extra: [RemoteOption.String("sign-verify", "ed25519"), RemoteOption.String("verification-ed25519-file", keyFile)]);

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
    }

    [Fact]
    public async Task ASignedSummaryIsVerifiedAndAMissingSignatureRejected()
    {
        _f.CommitSample();
        var (sk, pk) = Ed25519Keys.Generate();
        var source = Repository.Open(_f.SourceRepo);
        SignEngine.Ed25519.SignSummary(source, [sk]);
        var verified = _f.NewClient(extra: [RemoteOption.String("sign-verify-summary", "true"), RemoteOption.String("verification-ed25519-key", pk)]);

        await PullFixture.Pull(verified, PullFixture.Options("main"));
        Assert.NotNull(verified.Repo.Refs.TryRead("origin", "main"));

        File.Delete(Path.Combine(_f.SourceRepo, "summary.sig"));
        var rejected = _f.NewClient(extra: [RemoteOption.String("sign-verify-summary", "true"), RemoteOption.String("verification-ed25519-key", pk)]);
        var e = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(rejected, PullFixture.Options("main")));
        Assert.Equal("Signatures verification enabled, but no summary.sig found (use sign-verify-summary=false in remote config to disable)", e.Message);
    }

    [Fact]
    public async Task ACachedSummaryThatNoLongerVerifiesIsFetchedAgainAndABadPairIsNeverCached()
    {
        _f.CommitSample();
        var (sk, pk) = Ed25519Keys.Generate();
        var source = Repository.Open(_f.SourceRepo);
        SignEngine.Ed25519.SignSummary(source, [sk]);
        var client = _f.NewClient(extra: [RemoteOption.String("sign-verify-summary", "true"), RemoteOption.String("verification-ed25519-key", pk)]);
        await PullFixture.Pull(client, PullFixture.Options("main"));
        var cached = Path.Combine(client.Repo.Path, "tmp/cache/summaries/origin");
        var good = File.ReadAllBytes(cached);

        // a cache whose summary does not match its signature (test-pull-summary-sigs.sh "broken cache")
        File.WriteAllBytes(cached, [.. good, 0]);
        await PullFixture.Pull(client, PullFixture.Options("main"));
        Assert.Equal(good, File.ReadAllBytes(cached));

        // the remote's summary changes but its signature does not: the pull fails and the cache keeps the good pair
        var sigPath = Path.Combine(_f.SourceRepo, "summary.sig");
        var oldSig = File.ReadAllBytes(sigPath);
        File.Delete(cached);
        File.Delete(cached + ".sig");
        SummaryWriter.Regenerate(source, [new("x", Arbor.Repo.GVariant.GVariantValue.String("y"))]);
        File.WriteAllBytes(sigPath, oldSig);
        await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(client, PullFixture.Options("main")));
        Assert.False(File.Exists(cached));
    }

    [Fact]
    public async Task AGpgSignedCommitVerifiesWithTheImportedKeyAsOstreeDoes()
    {
        var commit = _f.CommitSample();
        using var gpg = new GpgHome(_f.Scratch("gpg"));
        OstreeOracle.RunOk("gpg-sign", $"--repo={_f.SourceRepo}", $"--gpg-homedir={gpg.Path}", commit.ToString(), gpg.KeyId);
        var client = _f.NewClient();
        client.Remotes.Add("origin", _f.Url, [], replace: true); // gpg-verify defaults to true
        Assert.Equal(1, GpgKeyringImport.Import(client.Remotes, "origin", [gpg.ExportPublicKey()]));

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        Assert.Single(SignatureMetadata.Get(client.Repo.LoadDetachedMetadata(commit), SignatureMetadata.GpgKey));
        // the keyring Arbor wrote works for the real ostree too
        var oracle = _f.Scratch("oracle");
        OstreeOracle.RunOk("init", $"--repo={oracle}", "--mode=archive");
        OstreeOracle.RunOk("remote", "add", $"--repo={oracle}", "origin", _f.Url);
        File.Copy(client.Repo.FullPath("origin.trustedkeys.gpg"), Path.Combine(oracle, "origin.trustedkeys.gpg"));
        OstreeOracle.RunOk("pull", $"--repo={oracle}", "origin", "main");
    }

    [Fact]
    public async Task GpgVerificationRejectsUnsignedCommitsUnknownKeysAndRevokedKeysLikeOstree()
    {
        var commit = _f.CommitSample();
        using var gpg = new GpgHome(_f.Scratch("gpg"));
        var client = _f.NewClient();
        client.Remotes.Add("origin", _f.Url, [], replace: true);
        GpgKeyringImport.Import(client.Remotes, "origin", [gpg.ExportPublicKey()]);

        var unsigned = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(client, PullFixture.Options("main")));
        Assert.Equal($"Commit {commit}: GPG verification enabled, but no signatures found (use gpg-verify=false in remote config to disable)", unsigned.Message);

        using var stranger = new GpgHome(_f.Scratch("gpg2"), "Stranger", "stranger@example.com");
        OstreeOracle.RunOk("gpg-sign", $"--repo={_f.SourceRepo}", $"--gpg-homedir={stranger.Path}", commit.ToString(), stranger.KeyId);
        var unknown = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(client, PullFixture.Options("main")));
        Assert.StartsWith($"Commit {commit}: Signature made ", unknown.Message);
        Assert.Contains($"using EdDSA key ID {stranger.KeyId}", unknown.Message);
        Assert.EndsWith("Can't check signature: public key not found", unknown.Message);

        // signed by our key, but the key we trust is revoked
        OstreeOracle.RunOk("gpg-sign", $"--repo={_f.SourceRepo}", $"--gpg-homedir={gpg.Path}", commit.ToString(), gpg.KeyId);
        gpg.Revoke();
        var revokedClient = _f.NewClient();
        revokedClient.Remotes.Add("origin", _f.Url, [], replace: true);
        GpgKeyringImport.Import(revokedClient.Remotes, "origin", [gpg.ExportPublicKey()]);
        var revoked = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(revokedClient, PullFixture.Options("main")));
        Assert.Contains("Key revoked", revoked.Message);
        // the real ostree agrees on all three verdicts: it also refuses the revoked key
        var oracle = _f.Scratch("oracle");
        OstreeOracle.RunOk("init", $"--repo={oracle}", "--mode=archive");
        OstreeOracle.RunOk("remote", "add", $"--repo={oracle}", "origin", _f.Url);
        File.Copy(revokedClient.Repo.FullPath("origin.trustedkeys.gpg"), Path.Combine(oracle, "origin.trustedkeys.gpg"));
        var r = OstreeOracle.Run("pull", $"--repo={oracle}", "origin", "main");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Key revoked", r.Stderr);
    }

    [Fact]
    public async Task AGpgSignedSummaryIsVerified()
    {
        _f.CommitSample();
        using var gpg = new GpgHome(_f.Scratch("gpg"));
        OstreeOracle.RunOk("summary", "-u", $"--repo={_f.SourceRepo}", $"--gpg-sign={gpg.KeyId}", $"--gpg-homedir={gpg.Path}");
        var client = _f.NewClient(extra: RemoteOption.Boolean("gpg-verify-summary", true));
        GpgKeyringImport.Import(client.Remotes, "origin", [gpg.ExportPublicKey()]);

        await PullFixture.Pull(client, PullFixture.Options("main"));
        Assert.NotNull(client.Repo.Refs.TryRead("origin", "main"));

        // a summary changed after signing no longer verifies (for a client without the summary cached:
        // one that has it under that very signature uses its cached, verified copy, as ostree does)
        var sig = File.ReadAllBytes(Path.Combine(_f.SourceRepo, "summary.sig"));
        _f.CommitSample(2);
        File.WriteAllBytes(Path.Combine(_f.SourceRepo, "summary.sig"), sig);
        var fresh = _f.NewClient(extra: RemoteOption.Boolean("gpg-verify-summary", true));
        GpgKeyringImport.Import(fresh.Remotes, "origin", [gpg.ExportPublicKey()]);
        var e = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(fresh, PullFixture.Options("main")));
        Assert.Contains("BAD signature", e.Message);
        await PullFixture.Pull(client, PullFixture.Options("main"));
    }

    [Fact]
    public async Task SummarySignaturesAreCheckedForFileRemotesAndPullLocalLikeOverHttp()
    {
        _f.CommitSample();
        var (sk, pk) = Ed25519Keys.Generate();
        var (_, otherPk) = Ed25519Keys.Generate();
        SignEngine.Ed25519.SignSummary(Repository.Open(_f.SourceRepo), [sk]);
        var fileUrl = "file://" + _f.SourceRepo;

        // the right key: accepted
        var good = _f.NewClient(url: fileUrl, extra: [RemoteOption.String("sign-verify-summary", "true"), RemoteOption.String("verification-ed25519-key", pk)]);
        await PullFixture.Pull(good, PullFixture.Options("main"));
        Assert.NotNull(good.Repo.Refs.TryRead("origin", "main"));

        // another key: rejected, as over http
        var wrong = _f.NewClient(url: fileUrl, extra: [RemoteOption.String("sign-verify-summary", "true"), RemoteOption.String("verification-ed25519-key", otherPk)]);
        var e = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(wrong, PullFixture.Options("main")));
        Assert.Contains("ed25519: Signature couldn't be verified", e.Message);
        Assert.Null(wrong.Repo.Refs.TryRead("origin", "main"));

        // GPG: no summary.sig for a file:// remote, and pull-local --gpg-verify-summary
        using var gpg = new GpgHome(_f.Scratch("gpg"));
        File.Delete(Path.Combine(_f.SourceRepo, "summary.sig"));
        var gpgClient = _f.NewClient(url: fileUrl, extra: RemoteOption.Boolean("gpg-verify-summary", true));
        GpgKeyringImport.Import(gpgClient.Remotes, "origin", [gpg.ExportPublicKey()]);
        var missing = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(gpgClient, PullFixture.Options("main")));
        Assert.Contains("no summary", missing.Message);
        var local = await Assert.ThrowsAsync<SigningException>(() => Puller.PullLocalVerifiedAsync(gpgClient.Repo, _f.SourceRepo, gpgClient.Remotes, "origin",
            gpgVerify: false, gpgVerifySummary: true, PullFixture.Options("main"), TestContext.Current.CancellationToken));
        Assert.Contains("no summary", local.Message);

        // a summary changed after signing: BAD signature through pull-local too
        OstreeOracle.RunOk("summary", "-u", $"--repo={_f.SourceRepo}", $"--gpg-sign={gpg.KeyId}", $"--gpg-homedir={gpg.Path}");
        await Puller.PullLocalVerifiedAsync(gpgClient.Repo, _f.SourceRepo, gpgClient.Remotes, "origin",
            gpgVerify: false, gpgVerifySummary: true, PullFixture.Options("main"), TestContext.Current.CancellationToken);
        var sig = File.ReadAllBytes(Path.Combine(_f.SourceRepo, "summary.sig"));
        _f.CommitSample(2);
        File.WriteAllBytes(Path.Combine(_f.SourceRepo, "summary.sig"), sig);
        var bad = await Assert.ThrowsAsync<SigningException>(() => Puller.PullLocalVerifiedAsync(gpgClient.Repo, _f.SourceRepo, gpgClient.Remotes, "origin",
            gpgVerify: false, gpgVerifySummary: true, PullFixture.Options("main"), TestContext.Current.CancellationToken));
        Assert.Contains("BAD signature", bad.Message);
        var badFile = await Assert.ThrowsAsync<SigningException>(() => PullFixture.Pull(gpgClient, PullFixture.Options("main")));
        Assert.Contains("BAD signature", badFile.Message);
    }
}
