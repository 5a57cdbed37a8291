using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.Repo.Traverse;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Traverse;

/// <summary>Reachability over the vector repository (4 commits, 34 objects, made by ostree 2022.7).</summary>
public sealed class ReachabilityTests : IDisposable
{
    private readonly TempDirectory _tmp = new("reach");
    private readonly string _archive;
    private readonly Checksum _c1 = Checksum.Parse(Vectors.Value("commit.1"));
    private readonly Checksum _c2 = Checksum.Parse(Vectors.Value("commit.2"));

    public ReachabilityTests() => _archive = VectorRepos.Extract(_tmp.Path).Archive;

    public void Dispose() => _tmp.Dispose();

    private Repository Repo => Repository.Open(_archive);

    [Fact]
    public void AllRefsReachEveryObjectOfTheRepository()
    {
        var repo = Repo;
        var reach = new Reachability(repo);
        var objects = repo.Refs.ListHeads().Values.SelectMany(c => reach.EnumerateCommit(c)).ToList();
        var all = ObjectEnumerator.ListAll(repo).Where(o => o.Type is not (ObjectType.CommitMeta or ObjectType.TombstoneCommit)).ToHashSet();
        Assert.Equal(34, reach.Count);
        Assert.Equal(34, objects.Count); // each object handed out once
        Assert.Equal(all, objects.ToHashSet());
        Assert.All(all, o => Assert.True(reach.Contains(o)));
    }

    [Fact]
    public void ARewalkHandsOutTheSameObjectsInTheSameOrderOnce()
    {
        var repo = Repo;
        var heads = repo.Refs.ListHeads().Values.ToList();
        var first = new Reachability(repo);
        var firstOrder = heads.SelectMany(c => first.EnumerateCommit(c)).ToList();
        var again = Reachability.Rewalk(first);
        Assert.Equal(firstOrder, heads.SelectMany(c => again.EnumerateCommit(c)).ToList());
        Assert.Equal(0, first.Count); // used up
    }

    /// <summary>
    /// fsck --delete removes a corrupt dirtree as soon as it is handed out (on another thread than the
    /// walk's): the walk has read it already, so its children still come out and nothing fails.
    /// </summary>
    [Fact]
    public void ADirtreeRemovedOnceHandedOutIsStillWalked()
    {
        var repo = Repo;
        var expected = new Reachability(repo).EnumerateCommit(_c1, 0).ToList();
        var walked = new List<ObjectName>();
        foreach (var o in new Reachability(repo).EnumerateCommit(_c1, 0))
        {
            walked.Add(o);
            if (o.Type == ObjectType.DirTree) File.Delete(repo.ObjectPath(o));
        }
        Assert.Equal(expected, walked);
        Assert.Contains(expected, o => o.Type == ObjectType.DirTree && o.Checksum != repo.LoadCommit(_c1).RootTree);
    }

    [Fact]
    public void DepthLimitsTheParentWalk()
    {
        var atZero = new Reachability(Repo);
        atZero.TraverseCommit(_c2, 0);
        Assert.True(atZero.Contains(new ObjectName(_c2, ObjectType.Commit)));
        Assert.False(atZero.Contains(new ObjectName(_c1, ObjectType.Commit)));

        var atOne = new Reachability(Repo);
        atOne.TraverseCommit(_c2, 1);
        Assert.True(atOne.Contains(new ObjectName(_c1, ObjectType.Commit)));
        Assert.True(atOne.Count > atZero.Count);
    }

    [Fact]
    public void ACommitFirstReachedShallowIsWalkedAgainForMoreHistory()
    {
        var reach = new Reachability(Repo);
        reach.TraverseCommit(_c2, 0);
        reach.TraverseCommit(_c2, -1);
        Assert.True(reach.Contains(new ObjectName(_c1, ObjectType.Commit)));
    }

    [Fact]
    public void AMissingParentEndsTheWalkWithoutError()
    {
        File.Delete(OstreeRepos.ObjectPath(_archive, _c1.ToString(), "commit"));
        var reach = new Reachability(Repo);
        reach.TraverseCommit(_c2, -1);
        Assert.True(reach.Contains(new ObjectName(_c2, ObjectType.Commit)));
        Assert.False(reach.Contains(new ObjectName(_c1, ObjectType.Commit)));
    }

    [Fact]
    public void AMissingDirtreeFailsUnlessTheCommitIsPartial()
    {
        var nested = Checksum.Parse("f9344db3ca43e220993e321cfcbf9a8f2d8b118882f9f4d22f078dcc1082b53d");
        File.Delete(OstreeRepos.ObjectPath(_archive, nested.ToString(), "dirtree"));
        var e = Assert.Throws<ObjectNotFoundException>(() => new Reachability(Repo).TraverseCommit(_c1, 0));
        Assert.Equal($"No such metadata object {nested}.dirtree", e.Message);

        var repo = Repo;
        repo.MarkCommitPartial(_c1, true);
        var reach = new Reachability(repo);
        reach.TraverseCommit(_c1, 0);
        Assert.True(reach.Contains(new ObjectName(nested, ObjectType.DirTree))); // named, though absent
    }

    [Fact]
    public void ParentsNameTheCommitsThatShareAnObject()
    {
        var reach = new Reachability(Repo, trackParents: true);
        reach.TraverseCommit(_c1, 0);
        reach.TraverseCommit(_c2, 0);
        var small = new ObjectName(Checksum.Parse("3241e024a29e5bda32a4159e3109cee164c2db0288a8a5098f3759c820d3ae7b"), ObjectType.File);
        Assert.Equal([_c1, _c2], reach.Parents!.CommitsOf(small).Order());
        Assert.Equal([_c2], reach.Parents.CommitsOf(new ObjectName(_c2, ObjectType.Commit)));
    }

    [Fact]
    public void CommitOnlyWalksCommitsAndNothingBelow()
    {
        var reach = new Reachability(Repo, commitOnly: true);
        Assert.Equal([new ObjectName(_c2, ObjectType.Commit), new ObjectName(_c1, ObjectType.Commit)], reach.EnumerateCommit(_c2, -1));
    }

    [Fact]
    public void ABrokenDirtreeThrowsWhenStrictAndHasNoChildrenOtherwise()
    {
        var sub = "04169bbf5a84f10875d0d478e777be255b92438b6640e8d4a11e3ac2bc11aabd";
        OstreeRepos.Truncate(OstreeRepos.ObjectPath(_archive, sub, "dirtree"), 50);
        Assert.Throws<CorruptObjectException>(() => new Reachability(Repo, strict: true).TraverseCommit(_c1, 0));
        var lenient = new Reachability(Repo, strict: false);
        lenient.TraverseCommit(_c1, 0);
        Assert.True(lenient.Contains(new ObjectName(Checksum.Parse(sub), ObjectType.DirTree)));
        Assert.False(lenient.Contains(new ObjectName(Checksum.Parse("f9344db3ca43e220993e321cfcbf9a8f2d8b118882f9f4d22f078dcc1082b53d"), ObjectType.DirTree)));
    }

    [Fact]
    public void AShortChecksumInADirtreeStopsTheWalkWithOstreesMessage()
    {
        var repo = Repo;
        // (a(say)a(sayay)) with one file whose checksum is 31 bytes
        var name = "f"u8.ToArray();
        var element = name.Concat(new byte[] { 0 }).Concat(new byte[31]).Append((byte)2).ToArray();
        var files = element.Append((byte)element.Length).ToArray();
        var tree = files.Append((byte)files.Length).ToArray();
        var commit = HostileObjects.CommitOf(_archive, HostileObjects.WriteMetadata(_archive, ObjectType.DirTree, tree), "short");
        var e = Assert.Throws<CorruptObjectException>(() => new Reachability(repo).TraverseCommit(commit, 0));
        Assert.Equal("Invalid checksum of length 31 expected 32", e.Message);
    }
}
