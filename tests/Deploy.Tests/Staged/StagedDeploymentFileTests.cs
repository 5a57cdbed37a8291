using Arbor.Deploy.Staged;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Staged;

public sealed class StagedDeploymentFileTests
{
    private static readonly byte[] OstreeBytes = File.ReadAllBytes(Fixtures.PathOf("staged/ostree-2022.7-staged-deployment.bin"));

    [Fact]
    public void ReadsWhatOstreeWroteAndWritesTheSameBytes()
    {
        var state = StagedDeploymentFile.Parse(OstreeBytes);
        Assert.Equal("7b1ae5b23e2d3ffa3ca88de1d0ada96224c0a50ee8c7835e7004c8213fa0bd49.0", state.Target.Name);
        Assert.Equal("test", state.Target.Stateroot);
        Assert.Equal("e7489082567465fa8ea209f037898be87e9f1fc8f1aa68f150fc9b569309e73a", state.Target.BootChecksum);
        Assert.Equal("b7f11265b594439afd4eb8564f597c84ba364c481c1c5daa7c9e35f947b9dfe5.0", state.Merge!.Name);
        Assert.Null(state.Kargs);
        Assert.Null(state.OverlayInitrds);
        Assert.Equal(OstreeBytes, state.Serialize());
    }

    [Fact]
    public void KargsAndOverlaysRoundTrip()
    {
        var state = StagedDeploymentFile.Parse(OstreeBytes) with { Merge = null, Kargs = ["quiet", "x=1"], OverlayInitrds = [new string('a', 64)] };
        var back = StagedDeploymentFile.Parse(state.Serialize());
        Assert.Equal(state.Target, back.Target);
        Assert.Null(back.Merge);
        Assert.Equal(["quiet", "x=1"], back.Kargs);
        Assert.Equal([new string('a', 64)], back.OverlayInitrds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(200)]
    [InlineData(417)]
    public void DamagedStateIsAOneLineError(int length)
    {
        var e = Assert.Throws<DeployException>(() => StagedDeploymentFile.Parse(OstreeBytes.AsSpan(0, length)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("Malformed staged deployment state", e.Message);
    }
}
