using System.Diagnostics;

namespace Arbor.TestKit;

/// <summary>Extracts the vector repositories (archive and bare-user, made by ostree 2022.7) into a scratch directory.</summary>
public static class VectorRepos
{
    /// <summary>Extracts both tarballs into <paramref name="into"/>; returns (archive path, bare-user path).</summary>
    public static (string Archive, string BareUser) Extract(string into)
    {
        foreach (var tarball in new[] { "archive-repo.tar.gz", "bare-user-repo.tar.gz" })
        {
            var psi = new ProcessStartInfo("tar") { RedirectStandardError = true };
            foreach (var a in new[] { "--xattrs", "--xattrs-include=user.*", "-xzf", Vectors.PathOf(tarball), "-C", into }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"tar failed: {err}");
        }
        return (Path.Combine(into, "archive"), Path.Combine(into, "bare-user"));
    }
}
