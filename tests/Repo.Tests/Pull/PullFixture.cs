using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Pull;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Pull;

/// <summary>
/// One pull scenario: a scratch directory whose <c>www/</c> is served by a real nginx, a source
/// repository <c>www/repo</c> committed by the real ostree, and client repositories with a
/// remote "origin" (gpg-verify=false) pointing at it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullFixture : IDisposable
{
    private readonly TempDirectory _tmp = new("pull");
    private int _clients;

    public PullFixture()
    {
        Directory.CreateDirectory(Www);
        Server = NginxServer.Start(Www);
    }

    public string Www => _tmp.Combine("www");
    public string SourceRepo => Path.Combine(Www, "repo");
    public NginxServer Server { get; }
    public string Url => Server.Url("repo");
    public string Scratch(string name) => _tmp.Combine(name);

    /// <summary>Commits a <see cref="SampleTree"/> of <paramref name="version"/> with the real ostree and updates the summary.</summary>
    public Checksum CommitSample(int version = 1, int largeBytes = 0, string branch = "main", bool summary = true, int smallFiles = 40)
    {
        var tree = _tmp.Combine($"tree-{branch}-{version}-{largeBytes}");
        SampleTree.Write(tree, version, largeBytes, smallFiles);
        return Checksum.Parse(RepoBuilders.OstreeCommit(SourceRepo, tree, branch, $"version {version}", summary));
    }

    /// <summary>A fresh repository in <paramref name="mode"/> with remote "origin" at <paramref name="url"/> (default: the server).</summary>
    public (Repository Repo, RemoteStore Remotes) NewClient(RepoMode mode = RepoMode.BareUser, string? url = null, params RemoteOption[] extra)
    {
        var path = _tmp.Combine($"client-{Interlocked.Increment(ref _clients)}");
        var repo = Repository.Create(path, mode);
        var remotes = new RemoteStore(repo, null);
        remotes.Add("origin", url ?? Url, [RemoteOption.Boolean("gpg-verify", false), .. extra]);
        return (repo, remotes);
    }

    public static PullOptions Options(params string[] refs) => new()
    {
        Refs = refs,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        PublishInterval = TimeSpan.FromMilliseconds(200),
    };

    public static Task<PullResult> Pull((Repository Repo, RemoteStore Remotes) client, PullOptions options) =>
        Puller.PullAsync(client.Repo, client.Remotes, "origin", options, TestContext.Current.CancellationToken);

    /// <summary>Object files of a repository, relative to it (objects/xx/….ext).</summary>
    public static HashSet<string> ObjectFiles(string repo) =>
        Directory.EnumerateFiles(Path.Combine(repo, "objects"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repo, f)).ToHashSet();

    /// <summary>Requests for objects/…, by path relative to the served repo.</summary>
    public List<AccessLogEntry> ObjectRequests() =>
        Server.AccessLog().Where(e => e.Path.StartsWith("/repo/objects/", StringComparison.Ordinal)).ToList();

    /// <summary>Runs the real <c>ostree fsck</c> and asserts it is clean.</summary>
    public static void AssertOstreeFsck(string repo)
    {
        var r = OstreeOracle.Run("fsck", $"--repo={repo}");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("completed successfully - no errors found", r.Stdout);
    }

    /// <summary>Every object reachable from <paramref name="commit"/> is present and hashes to its name.</summary>
    public static int AssertComplete(Repository repo, Checksum commit)
    {
        Assert.False(repo.IsCommitPartial(commit), $"{commit} is still marked partial");
        var c = repo.LoadCommit(commit);
        int n = 1;
        Assert.Equal(c.RootMeta, Checksum.Compute(repo.LoadMetadata(new(c.RootMeta, ObjectType.DirMeta))));
        var stack = new Stack<Checksum>();
        stack.Push(c.RootTree);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            var bytes = repo.LoadMetadata(new(t, ObjectType.DirTree));
            Assert.Equal(t, Checksum.Compute(bytes));
            n++;
            var tree = DirTreeObject.Parse(bytes);
            foreach (var f in tree.Files)
            {
                var content = repo.LoadContent(f.Checksum);
                using var s = content.Header.IsRegular ? content.OpenContent() : null;
                Assert.Equal(f.Checksum, ContentHasher.Compute(content.Header, s));
                n++;
            }
            foreach (var d in tree.Dirs)
            {
                Assert.Equal(d.Meta, Checksum.Compute(repo.LoadMetadata(new(d.Meta, ObjectType.DirMeta))));
                stack.Push(d.Tree);
            }
        }
        return n;
    }

    public void Dispose()
    {
        Server.Dispose();
        _tmp.Dispose();
    }
}
