using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Store;

/// <summary>Reads the repositories the real ostree wrote: every object parses, re-serializes byte for byte and verifies.</summary>
public sealed class VectorRepoTests : IDisposable
{
    private readonly TempDirectory _tmp = new("vec");
    private readonly string _archive, _bareUser;

    public VectorRepoTests() => (_archive, _bareUser) = VectorRepos.Extract(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("archive")]
    [InlineData("bare-user")]
    public void EveryMetadataObjectRoundTripsAndEveryFileVerifies(string which)
    {
        var repo = Repository.Open(which == "archive" ? _archive : _bareUser);
        int files = 0, meta = 0;
        foreach (var name in ObjectEnumerator.ListAll(repo))
        {
            if (name.Type == ObjectType.File)
            {
                var content = repo.LoadContent(name.Checksum);
                using var stream = content.Header.IsRegular ? content.OpenContent() : null;
                Assert.Equal(name.Checksum, ContentHasher.Compute(content.Header, stream));
                files++;
                continue;
            }
            var bytes = repo.LoadMetadata(name);
            switch (name.Type)
            {
                case ObjectType.Commit:
                    Assert.Equal(name.Checksum, Checksum.Compute(bytes));
                    Assert.Equal(bytes, CommitObject.Parse(bytes).Serialize());
                    Assert.True(GVariantNormalForm.IsNormal(bytes, ObjectFormats.Commit));
                    break;
                case ObjectType.DirTree:
                    Assert.Equal(name.Checksum, Checksum.Compute(bytes));
                    Assert.Equal(bytes, DirTreeObject.Parse(bytes).Serialize());
                    break;
                case ObjectType.DirMeta:
                    Assert.Equal(name.Checksum, Checksum.Compute(bytes));
                    Assert.Equal(bytes, DirMetaObject.Parse(bytes).Serialize());
                    break;
                case ObjectType.CommitMeta:
                    Assert.Equal(bytes, VariantDictionary.Parse(bytes).Serialize());
                    break;
            }
            meta++;
        }
        Assert.True(files >= 15, $"only {files} file objects");
        Assert.True(meta >= 15, $"only {meta} metadata objects");
    }

    [Fact]
    public void CommitOneFieldsMatchTheVector()
    {
        var repo = Repository.Open(_archive);
        var c = repo.LoadCommit(Checksum.Parse(Vectors.Value("commit.1")));
        Assert.Equal("First commit", c.Subject);
        Assert.Equal("Body of the first commit.", c.Body);
        Assert.Equal(1609459200UL, c.Timestamp);
        Assert.Equal("1.0", c.Version);
        Assert.Null(c.Parent);
        Assert.Equal(Vectors.Value("commit.1.content-checksum"), c.ContentChecksum.ToString());
        Assert.Equal("{'version': <'1.0'>, 'vectors.number': <uint32 42>, 'ostree.ref-binding': <['vectors/main']>}",
            GVariantPrinter.Print(c.Metadata.ToValue(), true));
    }
}
