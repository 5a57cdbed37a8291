using Arbor.Deploy.BootLoader;
using Arbor.Deploy.Operations;
using Arbor.Repo.Core;

namespace Arbor.Deploy.Tests.Operations;

public sealed class DeploymentListTests
{
    private static Deployment D(int n, string os = "os", bool pinned = false) => new()
    {
        Stateroot = os,
        Commit = Checksum.Compute([(byte)n]),
        DeploySerial = 0,
        BootChecksum = "b",
        Origin = pinned ? OriginFile.Parse("[libostree-transient]\npinned=true\n") : OriginFile.FromRefspec("r"),
    };

    private static DeploymentSet Set(Deployment? booted, params Deployment[] ds) =>
        new(new BootVersion(0, 0), ds.Select((d, i) => d with { Index = i }).ToList(), booted, null, booted is not null);

    private static string Names(IEnumerable<Deployment> list) => string.Join(",", list.Select(d => d.Commit.ToString()[..4]));

    private static readonly Deployment A = D(1), B = D(2), C = D(3), N = D(9);

    [Fact]
    public void RemoveAndOutOfRange()
    {
        var set = Set(null, A, B, C);
        Assert.Equal(Names([A, C]), Names(DeploymentList.Remove(set, 1)));
        Assert.Equal("Out of range deployment index 3, expected < 3", Assert.Throws<DeployException>(() => DeploymentList.Remove(set, 3)).Message);
        Assert.Equal("Invalid index -1", Assert.Throws<DeployException>(() => DeploymentList.Remove(set, -1)).Message);
    }

    [Fact]
    public void TheBootedDeploymentCannotBeRemoved()
    {
        var set = Set(B, A, B, C);
        Assert.Equal("Cannot undeploy currently booted deployment 1", Assert.Throws<DeployException>(() => DeploymentList.Remove(set, 1)).Message);
    }

    [Fact]
    public void MoveToFront() => Assert.Equal(Names([C, A, B]), Names(DeploymentList.MoveToFront(Set(null, A, B, C), 2)));

    [Fact]
    public void RollbackWithoutBootedSwapsTheFirstTwoOfTheStateroot()
    {
        var other = D(7, "other");
        Assert.Equal(Names([B, A, other, C]), Names(DeploymentList.Rollback(Set(null, A, other, B, C))));
    }

    [Fact]
    public void RollbackWhenBootedIsDefaultBringsBackTheRollback()
    {
        Assert.Equal(Names([B, A, C]), Names(DeploymentList.Rollback(Set(A, A, B, C))));
    }

    [Fact]
    public void RollbackWithAPendingDeploymentMakesTheBootedOneDefaultAgain()
    {
        // [pending, booted, rollback]: rpm-ostree rollback goes to the rollback deployment
        Assert.Equal(Names([C, B, A]), Names(DeploymentList.Rollback(Set(B, A, B, C))));
        // [pending, booted]: nothing older, so the booted deployment becomes the default again
        Assert.Equal(Names([B, A]), Names(DeploymentList.Rollback(Set(B, A, B))));
    }

    [Fact]
    public void RollbackNeedsSomethingToRollBackTo() =>
        Assert.Equal("No rollback deployment found", Assert.Throws<DeployException>(() => DeploymentList.Rollback(Set(null, A))).Message);

    [Fact]
    public void NewDeploymentNotBootedKeepsOnlyTheMergeDeployment()
    {
        // unbooted sysroot: merge = first of the stateroot; everything else of that stateroot goes
        var set = Set(null, A, B, C);
        Assert.Equal(Names([N, A]), Names(DeploymentList.AddDeployment(set, "os", N, merge: A)));
    }

    [Fact]
    public void NewDeploymentKeepsBootedMergePinnedAndOtherStateroots()
    {
        var pinned = D(4, pinned: true);
        var other = D(5, "other");
        var set = Set(B, A, B, pinned, other, C);
        Assert.Equal(Names([N, B, pinned, other]), Names(DeploymentList.AddDeployment(set, "os", N, merge: B)));
    }

    [Fact]
    public void RetainFlags()
    {
        var set = Set(B, A, B, C);
        Assert.Equal(Names([N, A, B]), Names(DeploymentList.AddDeployment(set, "os", N, B, retainPending: true)));
        Assert.Equal(Names([N, B, C]), Names(DeploymentList.AddDeployment(set, "os", N, B, retainRollback: true)));
        Assert.Equal(Names([N, A, B, C]), Names(DeploymentList.AddDeployment(set, "os", N, B, retain: true)));
        // without booted and merge deployments, retain-pending/rollback keep everything
        Assert.Equal(Names([N, A, B, C]), Names(DeploymentList.AddDeployment(Set(null, A, B, C), "os", N, null, retainRollback: true)));
    }

    [Fact]
    public void NotAsDefaultGoesRightAfterTheBootedOrMergeDeployment()
    {
        Assert.Equal(Names([A, B, N]), Names(DeploymentList.AddDeployment(Set(B, A, B, C), "os", N, B, retainPending: true, notAsDefault: true)));
        Assert.Equal(Names([A, N]), Names(DeploymentList.AddDeployment(Set(null, A, B), "os", N, A, notAsDefault: true)));
        Assert.Equal(Names([N]), Names(DeploymentList.AddDeployment(Set(null), "os", N, null, notAsDefault: true)));
    }
}
