using Arbor.TestKit;

namespace Arbor.Boot.Tests;

/// <summary>Paths of the non-C# parts of src/Boot (units, dracut module, init example).</summary>
internal static class BootSources
{
    public static string Root => Path.Combine(Path.GetDirectoryName(Fixtures.Root)!, "src/Boot");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>A unit file as (section, key, value) rows in order; repeated keys stay repeated.</summary>
    public static List<(string Section, string Key, string Value)> ReadUnit(string name)
    {
        var rows = new List<(string, string, string)>();
        string section = "";
        foreach (var raw in File.ReadLines(PathOf("systemd/" + name)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[') { section = line.Trim('[', ']'); continue; }
            int eq = line.IndexOf('=');
            rows.Add((section, line[..eq], line[(eq + 1)..]));
        }
        return rows;
    }

    public static List<string> Values(this List<(string Section, string Key, string Value)> unit, string section, string key) =>
        unit.Where(r => r.Section == section && r.Key == key).SelectMany(r => r.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
}
