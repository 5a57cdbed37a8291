using Arbor.Repo.Core;
using Arbor.Repo.Traverse;

namespace Arbor.Repo.Tests.Traverse;

public sealed class ObjectNameSetTests
{
    [Fact]
    public void TheSameChecksumUnderTwoTypesIsTwoMembers()
    {
        var set = new ObjectNameSet();
        var c = Checksum.Compute("a"u8);
        Assert.True(set.Add(new ObjectName(c, ObjectType.DirTree)));
        Assert.True(set.Add(new ObjectName(c, ObjectType.DirMeta)));
        Assert.False(set.Add(new ObjectName(c, ObjectType.DirTree)));
        Assert.True(set.Contains(new ObjectName(c, ObjectType.DirMeta)));
        Assert.False(set.Contains(new ObjectName(c, ObjectType.File)));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void ManyObjectsAreTrackedExactly()
    {
        var set = new ObjectNameSet();
        var names = Enumerable.Range(0, 50_000).Select(i => new ObjectName(Checksum.Compute(BitConverter.GetBytes(i)), ObjectType.File)).ToList();
        Assert.All(names, n => Assert.True(set.Add(n)));
        Assert.All(names, n => Assert.False(set.Add(n)));
        Assert.False(set.Contains(new ObjectName(Checksum.Compute(BitConverter.GetBytes(-1)), ObjectType.File)));
        Assert.Equal(50_000, set.Count);
    }
}
