using System.Text;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// ostree's <c>_ostree_sysroot_join_lines</c>, which the syslinux and U-Boot backends write their
/// files with: each line and a newline, an empty first line dropped, and only the first empty
/// line after that kept (ostree never resets its "previous line was empty" flag, so every later
/// empty line is dropped too; the output depends on that). Pure.
/// </summary>
public static class ConfigLines
{
    public static string Join(IReadOnlyList<string> lines)
    {
        var sb = new StringBuilder();
        bool sawEmpty = false;
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                if (sawEmpty || i == 0) continue;
                sawEmpty = true;
            }
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }
}
