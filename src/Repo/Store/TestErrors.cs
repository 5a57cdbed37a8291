namespace Arbor.Repo.Store;

/// <summary>
/// <c>OSTREE_REPO_TEST_ERROR</c>, the failures ostree's own tests ask for (ostree-repo.c), read as
/// g_parse_debug_string reads it: keys separated by <c>:;, </c> or tabs, any case, <c>all</c> for every one.
/// <c>pre-commit</c> fails a transaction before it publishes anything; <c>invalid-cache</c> makes a cached
/// summary that no longer matches its signature an error.
/// </summary>
internal static class TestErrors
{
    public static bool PreCommit => IsSet("pre-commit");
    public static bool InvalidCache => IsSet("invalid-cache");

    private static bool IsSet(string key) => GLib.GDebugKeys.Names(Environment.GetEnvironmentVariable("OSTREE_REPO_TEST_ERROR"), key);
}
