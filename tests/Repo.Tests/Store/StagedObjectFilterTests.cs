using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Tests.Store;

public sealed class StagedObjectFilterTests
{
    private static ObjectName Name(int i, ObjectType type = ObjectType.File) =>
        new(Checksum.Compute(BitConverter.GetBytes(i)), type);

    [Fact]
    public void NothingIsStagedBeforeTheFirstObject()
    {
        Assert.False(new StagedObjectFilter().MayContain(Name(1)));
    }

    [Fact]
    public void EveryAddedObjectIsFoundAndFewOthersAre()
    {
        var filter = new StagedObjectFilter();
        const int Added = 200_000;
        for (int i = 0; i < Added; i++) filter.Add(Name(i));
        for (int i = 0; i < Added; i++) Assert.True(filter.MayContain(Name(i)));

        int falsePositives = 0;
        for (int i = Added; i < 2 * Added; i++)
            if (filter.MayContain(Name(i))) falsePositives++;
        Assert.InRange(falsePositives, 0, Added / 100); // about 0.2% expected; the lookup only costs an lstat
        // the object type is part of the name: the same checksum as another type is a different object
        Assert.InRange(Enumerable.Range(0, 1000).Count(i => filter.MayContain(Name(i, ObjectType.DirTree))), 0, 10);
    }
}
