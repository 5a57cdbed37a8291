namespace Arbor.Repo.Core;

/// <summary>The libostree release Arbor implements, as scripts and servers see it.</summary>
public static class LibOstree
{
    /// <summary>The version <c>--version</c> gives under <c>libostree:</c>.</summary>
    public const string Version = "2022.7";

    /// <summary>ostree's fetcher User-Agent (<c>OSTREE_FETCHER_USERAGENT_STRING</c>).</summary>
    public const string UserAgent = "libostree/" + Version;
}
