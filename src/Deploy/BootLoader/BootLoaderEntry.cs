using System.Text;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// A Boot Loader Specification entry as ostree reads and writes it (sysroot.md §5): lines that
/// start with an ASCII letter are <c>key value</c>, split at the first space or tab (the rest
/// of the line, further blanks included, is the value); other lines are ignored; a repeated key
/// keeps its first position and its last value, except that every <c>initrd</c> after the
/// first is an overlay initrd. <see cref="Format"/> writes title, version, options,
/// devicetree, linux, initrd, the overlay initrds, then the other keys in their order. Pure.
/// </summary>
public sealed class BootLoaderEntry
{
    /// <summary>The keys written first, in this order (the BLS example's order, as ostree).</summary>
    public static readonly string[] FixedOrder = ["title", "version", "options", "devicetree", "linux", "initrd"];

    private readonly List<KeyValuePair<string, string>> _items = new();
    private readonly List<string> _overlayInitrds = new();

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    /// <summary>The additional <c>initrd</c> lines (overlay initrds), after the primary one.</summary>
    public IReadOnlyList<string> OverlayInitrds => _overlayInitrds;

    public string? Title { get => Get("title"); set => SetOrRemove("title", value); }
    public string? Version { get => Get("version"); set => SetOrRemove("version", value); }
    public string? Options { get => Get("options"); set => SetOrRemove("options", value); }
    public string? Linux { get => Get("linux"); set => SetOrRemove("linux", value); }
    public string? Initrd { get => Get("initrd"); set => SetOrRemove("initrd", value); }

    public string? Get(string key)
    {
        foreach (var (k, v) in _items) if (k == key) return v;
        return null;
    }

    public void Set(string key, string value)
    {
        if (key.Length == 0 || key.AsSpan().IndexOfAny(' ', '\t', '\n') >= 0 || !char.IsAsciiLetter(key[0]))
            throw new ArgumentException($"invalid boot loader entry key '{key}'", nameof(key));
        if (value.Contains('\n')) throw new ArgumentException("a boot loader entry value is one line", nameof(value));
        for (int i = 0; i < _items.Count; i++)
        {
            if (_items[i].Key == key) { _items[i] = new(key, value); return; }
        }
        _items.Add(new(key, value));
    }

    public bool Remove(string key) => _items.RemoveAll(e => e.Key == key) > 0;

    private void SetOrRemove(string key, string? value)
    {
        if (value is null) Remove(key); else Set(key, value);
    }

    /// <summary>Replaces the overlay initrds; they are only written when a primary initrd is set.</summary>
    public void SetOverlayInitrds(IEnumerable<string> paths)
    {
        _overlayInitrds.Clear();
        _overlayInitrds.AddRange(paths);
    }

    public BootLoaderEntry Clone()
    {
        var c = new BootLoaderEntry();
        c._items.AddRange(_items);
        c._overlayInitrds.AddRange(_overlayInitrds);
        return c;
    }

    public static BootLoaderEntry Parse(string text)
    {
        var entry = new BootLoaderEntry();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || !char.IsAsciiLetter(line[0])) continue;
            int sep = line.AsSpan().IndexOfAny(' ', '\t');
            if (sep <= 0) continue;
            var key = line[..sep];
            var value = line[(sep + 1)..];
            if (key == "initrd" && entry.Get("initrd") is not null) entry._overlayInitrds.Add(value);
            else entry.SetParsed(key, value);
        }
        return entry;
    }

    private void SetParsed(string key, string value)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (_items[i].Key == key) { _items[i] = new(key, value); return; }
        }
        _items.Add(new(key, value));
    }

    public string Format()
    {
        var sb = new StringBuilder();
        foreach (var key in FixedOrder)
            if (Get(key) is { } v) sb.Append(key).Append(' ').Append(v).Append('\n');
        if (Get("initrd") is not null)
            foreach (var o in _overlayInitrds) sb.Append("initrd ").Append(o).Append('\n');
        foreach (var (k, v) in _items)
            if (Array.IndexOf(FixedOrder, k) < 0) sb.Append(k).Append(' ').Append(v).Append('\n');
        return sb.ToString();
    }

    public override string ToString() => Format();
}
