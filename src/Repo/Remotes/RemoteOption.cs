namespace Arbor.Repo.Remotes;

/// <summary>
/// One option given to <c>remote add</c>, written the way <c>keyfile_set_from_vardict</c> writes
/// it: a string as-is (escaped), a boolean as true/false, a list as <c>a;b;</c>.
/// </summary>
public sealed record RemoteOption(string Key, string? Text = null, bool? Flag = null, IReadOnlyList<string>? List = null)
{
    public static RemoteOption String(string key, string value) => new(key, Text: value);
    public static RemoteOption Boolean(string key, bool value) => new(key, Flag: value);
    public static RemoteOption StringList(string key, IReadOnlyList<string> values) => new(key, List: values);

    internal void WriteTo(Config.KeyFile kf, string group)
    {
        if (Text is not null) kf.SetString(group, Key, Text);
        else if (Flag is { } b) kf.SetBoolean(group, Key, b);
        else if (List is not null) kf.SetStringList(group, Key, List);
    }
}
