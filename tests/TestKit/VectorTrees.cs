namespace Arbor.TestKit;

/// <summary>
/// Builds the input trees of shared/vectors (tree1..tree4) exactly as make-vectors.sh does: its
/// <c>mk_tree1</c> function is taken from the script and run by bash, the rest mirrors the script.
/// The directory must support user xattrs (TempDirectory's /var/tmp does).
/// </summary>
public static class VectorTrees
{
    public static void Build(string dir)
    {
        var script = File.ReadAllText(Vectors.PathOf("make-vectors.sh"));
        int start = script.IndexOf("mk_tree1() {", StringComparison.Ordinal);
        int end = script.IndexOf("\n}\n", start, StringComparison.Ordinal);
        if (start < 0 || end < 0) throw new InvalidOperationException("make-vectors.sh has no mk_tree1 function");
        var mkTree1 = script[start..(end + 3)];
        var body = $$"""
            set -euo pipefail
            umask 022
            cd '{{dir}}'
            {{mkTree1}}
            mk_tree1 tree1
            cp -a tree1 tree2
            printf 'Hello again, OSTree!\n' > tree2/hello.txt
            rm tree2/empty
            printf 'added in commit 2\n' > tree2/added.txt
            chmod 0644 tree2/hello.txt tree2/added.txt
            mkdir -p tree3/home
            printf 'owned by 1000\n' > tree3/home/owned.txt
            chmod 0755 tree3 tree3/home; chmod 0644 tree3/home/owned.txt
            mkdir -p tree4/many
            for ((i = 0; i < 1700; i++)); do printf -v name 'f%04d' "$i"; : > "tree4/many/$name"; done
            chmod 0755 tree4 tree4/many; chmod 0644 tree4/many/*
            """;
        var r = ProcessRunner.Run("bash", ["-c", body]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"building the vector trees failed:\n{r}");
    }

    /// <summary>The arguments make-vectors.sh passes to <c>ostree commit</c> for each vector commit (without --repo).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> CommitArgs = new Dictionary<string, string[]>
    {
        ["commit.1"] = ["--owner-uid=0", "--owner-gid=0", "--branch=vectors/main", "--timestamp=2021-01-01T00:00:00Z",
            "--subject=First commit", "--body=Body of the first commit.", "--add-metadata-string=version=1.0",
            "--add-metadata=vectors.number=uint32 42", "--add-detached-metadata-string=vectors.note=detached", "tree1"],
        ["commit.2"] = ["--owner-uid=0", "--owner-gid=0", "--branch=vectors/main", "--timestamp=2021-01-02T00:00:00Z",
            "--subject=Second commit", "--add-metadata-string=version=2.0", "tree2"],
        ["commit.uid1000"] = ["--owner-uid=1000", "--owner-gid=1000", "--branch=vectors/uid1000", "--timestamp=2021-01-03T00:00:00Z",
            "--subject=Owned by 1000", "tree3"],
        ["commit.large-dirtree"] = ["--owner-uid=0", "--owner-gid=0", "--branch=vectors/large-dirtree", "--timestamp=2021-01-04T00:00:00Z",
            "--subject=Large dirtree", "tree4"],
    };
}
