namespace Arbor.Boot.Tests.Privileged;

/// <summary>One line of /proc/self/mountinfo without the volatile ids (the parent is named by its mount point).</summary>
internal sealed record MountEntry(string MountPoint, string Parent, string Root, string Options, string FsType, string Source)
{
    public bool ReadOnly => Options.Split(',').Contains("ro");

    public override string ToString() => $"{MountPoint} (in {Parent}) = {Source}:{Root} {FsType} {Options}";

    public static List<MountEntry> ParseTable(string mountinfo)
    {
        var rows = new List<(string Id, string ParentId, string Root, string Point, string Options, string FsType, string Source)>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            int dash = Array.IndexOf(f, "-");
            rows.Add((f[0], f[1], Unescape(f[3]), Unescape(f[4]), f[5], f[dash + 1], f[dash + 2]));
        }
        var byId = rows.ToDictionary(r => r.Id, r => r.Point);
        return rows.Select(r => new MountEntry(r.Point, byId.GetValueOrDefault(r.ParentId, "(outside)"), r.Root, r.Options, r.FsType, r.Source)).ToList();
    }

    private static string Unescape(string s) =>
        s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
