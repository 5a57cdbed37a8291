using System.CommandLine;
using System.Text;

namespace Arbor.Cli.Common;

/// <summary>
/// The help text of a command in the shape ostree prints it: GOption's
/// (<c>g_option_context_get_help</c>: "Usage:", the summary, "Help Options:", "Application
/// Options:" with GOption's column), generated from the command tree. A command with subcommands
/// gets ostree's summary for it: its description, then <c>Builtin "PATH" Commands:</c> and the
/// visible subcommands with their descriptions, in the column ostree gives that list;
/// <c>static-delta</c> prints ostree's own short usage instead.
/// </summary>
internal static class GOptionHelp
{
    /// <summary>What the usage line names the program: argv[0], as ostree's <c>g_set_prgname (argv[0])</c>.</summary>
    public static string ProgramName { get; set; } = "arbor";

    private const string HelpEntry = "-?, --help";

    /// <summary>Where ostree's command lists differ from its default (<c>"  %-18s"</c> and "COMMAND").</summary>
    private static readonly Dictionary<string, (int Column, string Parameter)> Groups = new(StringComparer.Ordinal)
    {
        ["admin"] = (19, "--print-current-dir|COMMAND"),
        ["admin instutil"] = (24, "COMMAND"),
        ["admin kargs"] = (24, "COMMAND"),
        ["static-delta"] = (17, "COMMAND"),
    };

    /// <summary>The commands that print ostree's hand-written usage rather than GOption's.</summary>
    private static readonly HashSet<string> PlainUsage = new(StringComparer.Ordinal) { "static-delta" };

    /// <summary>The parsed command with its parents, the root first.</summary>
    public static IReadOnlyList<Command> PathOf(ParseResult parse)
    {
        var path = new List<Command>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult) path.Insert(0, r.Command);
        return path;
    }

    /// <summary>The help of the parsed command.</summary>
    public static string Render(ParseResult parse) => Render(PathOf(parse));

    /// <summary>The help of the last command of <paramref name="path"/> (the root first).</summary>
    public static string Render(IReadOnlyList<Command> path)
    {
        var command = path[^1];
        var name = string.Join(' ', path.Skip(1).Select(c => c.Name));
        var visible = command.Subcommands.Where(c => !c.Hidden).ToList();
        bool group = command.Subcommands.Count > 0;
        var style = Groups.TryGetValue(name, out var s) ? s : (Column: 18, Parameter: "COMMAND");
        if (PlainUsage.Contains(name)) return Plain(name, visible, style.Column);

        var text = new StringBuilder();
        var program = name.Length == 0 ? ProgramName : ProgramName + " " + name;
        text.Append("Usage:\n  ").Append(program).Append(" [OPTION…]");
        var parameter = group ? style.Parameter : Parameters(command);
        if (parameter.Length > 0) text.Append(' ').Append(parameter);
        text.Append("\n\n");

        var summary = new StringBuilder();
        if (path.Count > 1 && !string.IsNullOrEmpty(command.Description)) summary.Append(command.Description);
        if (group)
        {
            if (summary.Length > 0) summary.Append("\n\n");
            summary.Append(name.Length == 0 ? "Builtin Commands:" : $"Builtin \"{name}\" Commands:");
            foreach (var sub in visible) summary.Append("\n  ").Append(sub.Name.PadRight(style.Column)).Append(sub.Description);
        }
        if (summary.Length > 0) text.Append(summary).Append("\n\n");

        var entries = Entries(path);
        int width = Math.Max(HelpEntry.Length, entries.Count == 0 ? 0 : entries.Max(e => e.Width)) + 4;
        text.Append("Help Options:\n  -h, --").Append("help".PadRight(width - 4)).Append(" Show help options\n\n");
        text.Append("Application Options:\n");
        foreach (var e in entries)
        {
            var left = e.Short is { } c ? $"  {c}, {e.Long}" : "  " + e.Long;
            if (e.Argument is { } arg) left += "=" + arg;
            text.Append(left).Append(' ', Math.Max(0, width + 4 - left.Length)).Append(' ').Append(e.Description).Append('\n');
        }
        text.Append('\n');
        return text.ToString();
    }

    /// <summary>ostree's <c>static_delta_usage</c>: no options, the subcommands in a 17-column list.</summary>
    private static string Plain(string name, List<Command> visible, int column)
    {
        var text = new StringBuilder();
        text.Append("Usage:\n  ").Append(ProgramName).Append(' ').Append(name).Append(" [OPTION...] COMMAND\n\n");
        text.Append("Builtin \"").Append(name).Append("\" Commands:\n");
        foreach (var sub in visible) text.Append("  ").Append(sub.Name.PadRight(column)).Append(sub.Description).Append('\n');
        text.Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// The arguments as a GOption parameter string: an argument's help name as it is (the commands
    /// give ostree's, "REMOTE [BRANCH...]"), else its name as NAME, [NAME], NAME... or [NAME...].
    /// </summary>
    private static string Parameters(Command command) =>
        string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(a =>
        {
            if (a.HelpName is { } given) return given;
            var name = a.Arity.MaximumNumberOfValues > 1 ? a.Name + "..." : a.Name;
            return a.Arity.MinimumNumberOfValues == 0 ? $"[{name}]" : name;
        }));

    private sealed record Entry(string Long, string? Short, string? Argument, string Description)
    {
        /// <summary>GOption's <c>calculate_max_length</c> for this entry.</summary>
        public int Width => Long.Length - 2 + (Short is null ? 0 : 4) + (Argument is null ? 0 : 1 + Argument.Length);
    }

    /// <summary>
    /// The options in ostree's order: <c>--repo</c> or <c>--sysroot</c> first, the command's own
    /// (and those its parents pass down), then <c>-v, --verbose</c> and <c>--version</c>; hidden ones left out.
    /// </summary>
    private static List<Entry> Entries(IReadOnlyList<Command> path)
    {
        var options = new List<Option>();
        foreach (var parent in path.Take(path.Count - 1)) options.AddRange(parent.Options.Where(o => o.Recursive));
        options.AddRange(path[^1].Options);
        options = options.Where(o => o is not System.CommandLine.Help.HelpOption && !o.Hidden).DistinctBy(o => o.Name).ToList();
        var verbose = options.FirstOrDefault(o => o.Name == "--verbose") ?? GlobalOptions.Verbose();
        var version = options.FirstOrDefault(o => o.Name == VersionBlock.Flag) ?? VersionBlock.Option();
        var first = options.Where(o => o.Name is "--repo" or "--sysroot");
        var rest = options.Where(o => o.Name is not ("--repo" or "--sysroot" or "--verbose" or VersionBlock.Flag));
        return first.Concat(rest).Append(verbose).Append(version).Select(ToEntry).ToList();
    }

    private static Entry ToEntry(Option option)
    {
        var shortName = option.Aliases.Append(option.Name).FirstOrDefault(a => a.Length == 2 && a[0] == '-' && a[1] != '-');
        var longName = option.Name.StartsWith("--", StringComparison.Ordinal) ? option.Name
            : option.Aliases.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal)) ?? option.Name;
        var argument = option.ValueType == typeof(bool) ? null : option.HelpName;
        return new Entry(longName, shortName, argument, option.Description ?? "");
    }
}
