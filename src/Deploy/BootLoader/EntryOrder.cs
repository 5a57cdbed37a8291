namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The order of BLS entries, hence of deployments: <c>version</c> descending by
/// <see cref="VersionCompare"/>, entries without a version last. Sorted as GLib's
/// <c>g_ptr_array_sort</c> sorts (a top-down merge sort, left element first on ties), because
/// ostree's comparator is not symmetric for two entries without a version and the exact
/// algorithm then decides their order.
/// </summary>
public static class EntryOrder
{
    /// <summary>ostree's compare_boot_loader_configs.</summary>
    public static int Compare(string? aVersion, string? bVersion)
    {
        if (aVersion is not null && bVersion is not null) return -VersionCompare.Compare(aVersion, bVersion);
        return aVersion is not null ? -1 : 1;
    }

    public static void Sort<T>(List<T> items, Func<T, string?> version) =>
        MergeSort(items, (a, b) => Compare(version(a), version(b)));

    /// <summary>GLib's msort: split n/2, sort both halves, merge taking the left one when cmp &lt;= 0.</summary>
    public static void MergeSort<T>(List<T> items, Comparison<T> cmp)
    {
        var tmp = new T[items.Count];
        Sort(items, 0, items.Count, cmp, tmp);
    }

    private static void Sort<T>(List<T> a, int start, int n, Comparison<T> cmp, T[] tmp)
    {
        if (n <= 1) return;
        int n1 = n / 2, n2 = n - n1;
        Sort(a, start, n1, cmp, tmp);
        Sort(a, start + n1, n2, cmp, tmp);
        int i = start, j = start + n1, k = 0;
        while (n1 > 0 && n2 > 0)
        {
            if (cmp(a[i], a[j]) <= 0) { tmp[k++] = a[i++]; n1--; }
            else { tmp[k++] = a[j++]; n2--; }
        }
        while (n1-- > 0) tmp[k++] = a[i++];
        for (int m = 0; m < k; m++) a[start + m] = tmp[m];
    }
}
