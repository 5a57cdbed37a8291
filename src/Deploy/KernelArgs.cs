using System.Text;

namespace Arbor.Deploy;

/// <summary>
/// A kernel command line as ostree edits it (sysroot.md §8.3): split on single spaces with no
/// quote handling (so empty arguments survive a round trip), each argument's key is the text
/// before the first '=', order is kept and a key may repeat. Pure: no I/O.
/// </summary>
public sealed class KernelArgs
{
    /// <summary>One argument; <see cref="Value"/> is null for a bare <c>key</c> (and "" for <c>key=</c>).</summary>
    public readonly record struct Entry(string Key, string? Value)
    {
        public override string ToString() => Value is null ? Key : Key + "=" + Value;
    }

    private readonly List<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => _entries;
    public int Count => _entries.Count;

    public KernelArgs() { }

    public KernelArgs(IEnumerable<string> args)
    {
        foreach (var a in args) Append(a);
    }

    /// <summary>Parses an <c>options</c> value; null and "" give no arguments.</summary>
    public static KernelArgs Parse(string? options)
    {
        var k = new KernelArgs();
        if (string.IsNullOrEmpty(options)) return k;
        foreach (var a in options.Split(' ')) k.Append(a);
        return k;
    }

    public static Entry Split(string arg)
    {
        // one BLS line holds them all: a line break would end the options line and start a bogus key
        if (arg.AsSpan().IndexOfAny('\n', '\r') >= 0)
            throw new DeployException($"Invalid kernel argument '{arg.ReplaceLineEndings("\\n")}': it contains a line break");
        int eq = arg.IndexOf('=');
        return eq < 0 ? new Entry(arg, null) : new Entry(arg[..eq], arg[(eq + 1)..]);
    }

    public bool Contains(string keyOrArg) => IndexOfKey(Split(keyOrArg).Key) >= 0;

    /// <summary>The value of the last argument with this key (null when absent or bare).</summary>
    public string? GetLastValue(string key)
    {
        for (int i = _entries.Count - 1; i >= 0; i--)
            if (_entries[i].Key == key) return _entries[i].Value;
        return null;
    }

    public IEnumerable<string?> GetValues(string key) => _entries.Where(e => e.Key == key).Select(e => e.Value);

    /// <summary>Appends, keeping any earlier argument with the same key (<c>--karg-append</c>).</summary>
    public void Append(string arg) => _entries.Add(Split(arg));

    public void AppendIfMissing(string arg)
    {
        if (!Contains(arg)) Append(arg);
    }

    /// <summary>
    /// Replaces every argument with this key by <paramref name="arg"/>, placed where the first of
    /// them was; appends when the key is new (<c>--karg</c>, ostree_kernel_args_replace).
    /// </summary>
    public void Replace(string arg)
    {
        var e = Split(arg);
        int first = IndexOfKey(e.Key);
        if (first < 0) { _entries.Add(e); return; }
        _entries.RemoveAll(x => x.Key == e.Key);
        _entries.Insert(first, e);
    }

    /// <summary>
    /// Deletes one argument (<c>--karg-delete</c>): by key when the key occurs once (checking the
    /// value when one is given), else the argument with exactly this value. Errors as ostree's.
    /// </summary>
    public void Delete(string arg)
    {
        var (key, val) = Split(arg);
        var matches = new List<int>();
        for (int i = 0; i < _entries.Count; i++) if (_entries[i].Key == key) matches.Add(i);
        if (matches.Count == 0) throw new DeployException($"No key '{key}' found");
        if (matches.Count == 1)
        {
            if (val is not null && _entries[matches[0]].Value != val) throw new DeployException($"No karg '{key}={val}' found");
            _entries.RemoveAt(matches[0]);
            return;
        }
        foreach (var i in matches)
        {
            if (_entries[i].Value == val)
            {
                _entries.RemoveAt(i);
                return;
            }
        }
        throw new DeployException(val is null ? $"Multiple values for key '{arg}' found" : $"No karg '{arg}' found");
    }

    /// <summary>Removes every argument with this key; true when any was present.</summary>
    public bool RemoveKey(string key) => _entries.RemoveAll(e => e.Key == key) > 0;

    private int IndexOfKey(string key) => _entries.FindIndex(e => e.Key == key);

    public string[] ToArray() => _entries.Select(e => e.ToString()).ToArray();

    /// <summary>The arguments joined with single spaces, as written to a BLS <c>options</c> line.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < _entries.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(_entries[i].Key);
            if (_entries[i].Value is { } v) sb.Append('=').Append(v);
        }
        return sb.ToString();
    }
}
