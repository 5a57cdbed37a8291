namespace Arbor.TestKit;

/// <summary>Locates the checkout's <c>fixtures/</c> directory (hand-made test inputs).</summary>
public static class Fixtures
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "fixtures");
            if (File.Exists(Path.Combine(candidate, "README.md")) && File.Exists(Path.Combine(dir.FullName, "Arbor.slnx"))) return candidate;
            dir = dir.Parent;
        }
        throw new DirectoryNotFoundException("fixtures/ not found above the test directory");
    });

    public static string Root => RootLazy.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}
