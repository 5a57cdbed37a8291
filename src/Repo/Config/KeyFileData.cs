using System.Text;

namespace Arbor.Repo.Config;

/// <summary>
/// A key file as ostree writes its repo config and remote files: GLib loads them without
/// <c>G_KEY_FILE_KEEP_COMMENTS</c>, so comments and blank lines are dropped, and
/// <c>g_key_file_to_data</c> separates groups with exactly one empty line.
/// </summary>
public static class KeyFileData
{
    public static string ToGLibData(KeyFile keyFile)
    {
        var sb = new StringBuilder();
        foreach (var group in keyFile.GroupNames)
        {
            // "separate groups by at least an empty line"
            if (sb.Length >= 2 && sb[^2] != '\n') sb.Append('\n');
            sb.Append('[').Append(group).Append("]\n");
            foreach (var key in keyFile.Keys(group))
                sb.Append(key).Append('=').Append(keyFile.GetValue(group, key)).Append('\n');
        }
        return sb.ToString();
    }
}
