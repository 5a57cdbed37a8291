using Arbor.Repo.Core;
using Arbor.Repo.Fsck;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Tests.Fsck;

/// <summary>The structure rules fsck applies to metadata objects, with ostree's messages.</summary>
public sealed class MetadataVerifierTests
{
    private static readonly Checksum Some = Checksum.Parse("d54de4d5e87b6e23a70888c184728279c0e3a0d9ed8d4bb4fe2151e05f9599e8");

    [Fact]
    public void ValidObjectsHaveNoProblem()
    {
        Assert.Null(MetadataVerifier.StructureProblem(ObjectType.DirTree, new DirTreeObject([new DirTreeFile("a", Some)], [new DirTreeDir("d", Some, Some)]).Serialize()));
        Assert.Null(MetadataVerifier.StructureProblem(ObjectType.DirMeta, new DirMetaObject(0, 0, 0x41ED, XattrList.Empty).Serialize()));
        Assert.Null(MetadataVerifier.StructureProblem(ObjectType.Commit, new CommitObject { RootTree = Some, RootMeta = Some }.Serialize()));
    }

    [Fact]
    public void ADirmetaMustBeADirectoryWithPermissionBitsOnly()
    {
        Assert.Equal("Invalid directory metadata mode 33188; not a directory",
            MetadataVerifier.StructureProblem(ObjectType.DirMeta, new DirMetaObject(0, 0, 0x81A4, XattrList.Empty).Serialize()));
        Assert.Equal("Invalid mode 82413; invalid bits in mode",
            MetadataVerifier.StructureProblem(ObjectType.DirMeta, new DirMetaObject(0, 0, 0x141ED, XattrList.Empty).Serialize()));
    }

    [Fact]
    public void ACommitWithAnEmptyMetadataKeyIsRejected()
    {
        var meta = new VariantDictionary();
        meta.Set("", GVariantValue.String("x"));
        Assert.Equal("Empty metadata key", MetadataVerifier.StructureProblem(ObjectType.Commit, new CommitObject { Metadata = meta, RootTree = Some, RootMeta = Some }.Serialize()));
    }

    [Fact]
    public void DataNotInNormalFormIsRejectedFirst()
    {
        var tree = new DirTreeObject([new DirTreeFile("..", Some)], []).Serialize();
        var padded = tree.Concat(new byte[] { 0 }).ToArray(); // a trailing byte breaks the framing
        Assert.Equal("Not normal form", MetadataVerifier.StructureProblem(ObjectType.DirTree, padded));
    }

    [Theory]
    [InlineData("ok", null)]
    [InlineData("", "Invalid empty filename")]
    [InlineData(".", "Invalid self-referential filename '.'")]
    [InlineData("..", "Invalid path uplink filename '..'")]
    [InlineData("../x", "Invalid / in filename ../x")]
    [InlineData("...", null)]
    public void FileNamesFollowOstreesRule(string name, string? expected) =>
        Assert.Equal(expected, MetadataVerifier.FileNameProblem(System.Text.Encoding.UTF8.GetBytes(name)));

    [Fact]
    public void InvalidUtf8InANameIsReported() =>
        Assert.StartsWith("Invalid UTF-8 in filename", MetadataVerifier.FileNameProblem([0x61, 0xFF]));
}
