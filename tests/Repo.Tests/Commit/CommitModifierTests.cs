using Arbor.Repo.Commit;
using Arbor.Repo.Core;

namespace Arbor.Repo.Tests.Commit;

public sealed class CommitModifierTests
{
    [Theory]
    [InlineData(0x89EDu, 0x81EDu)] // 04755 regular -> 0755
    [InlineData(0x81FFu, 0x81EDu)] // 0777 -> 0755
    [InlineData(0x8180u, 0x8180u)] // 0600 stays
    [InlineData(0x43FFu, 0x41EDu)] // directory 01777 -> 0755
    [InlineData(0x41C0u, 0x41C0u)] // directory 0700 stays
    [InlineData(0xA1FFu, 0xA1FFu)] // symlinks keep their mode
    public void CanonicalPermissionsMaskWith0755AndOwnRoot(uint mode, uint expected)
    {
        var m = CommitModifier.Create(RepoMode.Archive, canonicalPermissions: true);
        Assert.Equal((0u, 0u, expected), m.Apply(1000, 1000, mode));
        Assert.True(m.SkipSourceXattrs);
        Assert.False(m.SkipArchiveXattrs);
    }

    [Fact]
    public void BareUserOnlyForcesCanonicalPermissionsAndNoXattrs()
    {
        var m = CommitModifier.Create(RepoMode.BareUserOnly);
        Assert.True(m.CanonicalPermissions);
        Assert.True(m.SkipXattrs);
        Assert.False(m.IsIdentity);
        Assert.True(CommitModifier.Create(RepoMode.Bare).IsIdentity);
    }

    [Fact]
    public void OwnerOverridesApplyAndConflictWithCanonicalPermissions()
    {
        Assert.Equal((5u, 7u, 0x81A4u), CommitModifier.Create(RepoMode.Bare, 5, 7).Apply(0, 0, 0x81A4));
        Assert.Equal((5u, 0u, 0x81A4u), CommitModifier.Create(RepoMode.Bare, ownerUid: 5).Apply(0, 0, 0x81A4));
        Assert.Equal("Cannot specify both --canonical-permissions and non-zero --owner-uid",
            Assert.Throws<RepoException>(() => CommitModifier.Create(RepoMode.Bare, ownerUid: 5, canonicalPermissions: true)).Message);
        Assert.Equal("Cannot specify both --canonical-permissions and non-zero --owner-gid",
            Assert.Throws<RepoException>(() => CommitModifier.Create(RepoMode.Bare, ownerGid: 5, canonicalPermissions: true)).Message);
        Assert.True(CommitModifier.Create(RepoMode.Bare, 0, 0, canonicalPermissions: true).CanonicalPermissions);
    }
}
