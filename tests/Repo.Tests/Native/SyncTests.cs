using Arbor.Repo.Native;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Native;

public sealed class SyncTests
{
    [Fact]
    public void DirectoriesCanBeSynced()
    {
        using var tmp = new TempDirectory("sync");
        Sync.SyncFs(tmp.Path);
        Sync.FSyncDirectory(tmp.Path);
        var e = Assert.Throws<NativeIOException>(() => Sync.SyncFs(tmp.Combine("missing")));
        Assert.Contains("No such file or directory", e.Message);
    }
}
