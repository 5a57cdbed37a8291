using System.Xml.Linq;

namespace Arbor.Architecture.Tests;

/// <summary>Cli → Deploy → Repo; Boot stands alone (no Arbor project, no LibGit2Sharp, no HTTP, no D-Bus, no CommandLine).</summary>
public sealed class LayeringTests
{
    private static XDocument Project(string rel) => XDocument.Load(Path.Combine(SourceTree.Root, rel));

    private static IEnumerable<string> Refs(XDocument doc, string item) =>
        doc.Descendants(item).Select(e => (string?)e.Attribute("Include") ?? "").Where(s => s.Length > 0);

    [Fact]
    public void BootReferencesNoArborProjectAndNoHeavyPackage()
    {
        var boot = Project("src/Boot/Arbor.Boot.csproj");
        Assert.Empty(Refs(boot, "ProjectReference"));
        var packages = Refs(boot, "PackageReference").ToList();
        Assert.DoesNotContain("LibGit2Sharp", packages);
        Assert.DoesNotContain("System.CommandLine", packages);
        Assert.DoesNotContain("NSec.Cryptography", packages);
        Assert.DoesNotContain("SharpZipLib", packages);
        Assert.DoesNotContain("Tmds.DBus.Protocol", packages); // the LAN finder's D-Bus client is Repo's only
        foreach (var file in SourceTree.Files("src/Boot"))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("System.Net.Http", text);
            Assert.DoesNotContain("System.Reflection", text);
        }
    }

    [Fact]
    public void RepoDependsOnNeitherDeployNorCli()
    {
        Assert.Equal(["Native/Arbor.Native.csproj"], Refs(Project("src/Repo/Arbor.Repo.csproj"), "ProjectReference"));
        Assert.Empty(Refs(Project("src/Repo/Native/Arbor.Native.csproj"), "ProjectReference"));
        foreach (var file in SourceTree.Files("src/Repo"))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("Arbor.Deploy", text);
            Assert.DoesNotContain("Arbor.Cli", text);
            Assert.DoesNotContain("Console.", text);
            Assert.DoesNotContain("Environment.Exit", text);
        }
    }

    [Fact]
    public void DeployDependsOnlyOnRepo()
    {
        var deploy = Project("src/Deploy/Arbor.Deploy.csproj");
        Assert.All(Refs(deploy, "ProjectReference"), r => Assert.True(r.EndsWith("Arbor.Repo.csproj") || r.EndsWith("Arbor.Native.csproj"), r));
        foreach (var file in SourceTree.Files("src/Deploy"))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("Arbor.Cli", text);
            Assert.DoesNotContain("Arbor.Repo.GVariant", text);
            Assert.DoesNotContain("System.Net.Http", text);
            Assert.DoesNotContain("Console.", text);
        }
    }

    [Fact]
    public void ThirdPartyLibrariesStayInTheirFiles()
    {
        var allowed = new Dictionary<string, string[]>
        {
            ["using LibGit2Sharp"] = ["src/Repo/Import/GitTreeImporter.cs"],
            ["using ICSharpCode.SharpZipLib"] = ["src/Repo/Import/TarImporter.cs", "src/Repo/Export/"],
            ["using NSec"] = ["src/Repo/Signing/"],
            ["System.Net.Http"] = ["src/Repo/Pull/"],
        };
        foreach (var file in SourceTree.Files("src"))
        {
            var rel = Path.GetRelativePath(SourceTree.Root, file).Replace('\\', '/');
            var text = File.ReadAllText(file);
            foreach (var (marker, places) in allowed)
                if (text.Contains(marker, StringComparison.Ordinal))
                    Assert.True(places.Any(p => rel.StartsWith(p, StringComparison.Ordinal)), $"{rel} uses {marker}; allowed only in {string.Join(", ", places)}");
        }
    }
}
