namespace Arbor.TestKit;

/// <summary>
/// One source tree committed by the real <c>ostree commit</c> into a repository of each mode
/// (bare, bare-user, bare-user-only, archive), on branch <c>main</c>. Bare-user-only gets
/// <c>--canonical-permissions</c>, as that mode requires. Meant as an xunit class fixture.
/// </summary>
public sealed class OracleRepoSet : IDisposable
{
    public static readonly string[] AllModes = ["bare", "bare-user", "bare-user-only", "archive"];

    private readonly Dictionary<string, string> _commits = new(StringComparer.Ordinal);

    public TempDirectory Temp { get; }
    public string Source { get; }

    public OracleRepoSet(Action<string> buildTree, params string[] modes)
    {
        OstreeOracle.Require();
        Temp = new TempDirectory("oracle-repos");
        Source = Temp.Combine("source");
        buildTree(Source);
        foreach (var mode in modes.Length == 0 ? AllModes : modes)
        {
            var repo = RepoPath(mode);
            OstreeOracle.RunOk("init", $"--repo={repo}", $"--mode={mode}");
            var args = new List<string> { "commit", $"--repo={repo}", "--branch=main", "--subject=fixture", $"--tree=dir={Source}" };
            if (mode == "bare-user-only") args.Add("--canonical-permissions");
            _commits[mode] = OstreeOracle.RunOk([.. args]).Trim();
        }
    }

    /// <summary>A fixture holding <see cref="FeatureTree"/> in every mode.</summary>
    public static OracleRepoSet WithFeatureTree() => new(FeatureTree.Create);

    public string RepoPath(string mode) => Temp.Combine("repo-" + mode);

    public string Commit(string mode) => _commits[mode];

    public IEnumerable<string> Modes => _commits.Keys;

    public void Dispose() => Temp.Dispose();
}
