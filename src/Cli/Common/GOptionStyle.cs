using System.CommandLine;
using System.CommandLine.Parsing;

namespace Arbor.Cli.Common;

/// <summary>
/// Where System.CommandLine and GOption (ostree's option parser) disagree on the shape of a
/// command line: options given before the command, unknown options, and values that do not parse.
/// </summary>
internal static class GOptionStyle
{
    /// <summary>
    /// ostree hands options given before a command (<c>ostree --repo=R remote add ...</c>, also
    /// between a command and its subcommand) to that command; System.CommandLine wants them after
    /// it, so <c>--opt=value</c> tokens in front of each command name move behind the whole command
    /// path. Help and version requests stay where they are.
    /// </summary>
    public static string[] MoveLeadingOptions(Command root, string[] args)
    {
        var path = new List<string>();
        var options = new List<string>();
        Command command = root;
        int i = 0;
        for (; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "--help" or "-h" or "-?" or "--version" or "--") break;
            if (a.StartsWith('-')) { options.Add(a); continue; }
            var sub = command.Subcommands.FirstOrDefault(s => s.Name == a || s.Aliases.Contains(a));
            if (sub is null) break;
            path.Add(a);
            command = sub;
        }
        if (options.Count == 0 || path.Count == 0) return args;
        return [.. path, .. options, .. args[i..]];
    }

    /// <summary>
    /// ostree's <c>admin</c> command, looking for its subcommand, stops at <c>--</c> and drops it
    /// with everything after it (<c>ostree admin pin -- 0</c> is <c>ostree admin pin</c>).
    /// </summary>
    public static string[] AdminDropsDashDash(string[] args)
    {
        int command = Array.FindIndex(args, a => !a.StartsWith('-'));
        if (command < 0 || args[command] != "admin") return args;
        int dashDash = Array.IndexOf(args, "--", command + 1);
        return dashDash < 0 ? args : args[..dashDash];
    }

    /// <summary>
    /// GOption reads <c>--opt=</c> as the empty value (<c>ostree admin deploy --karg= REF</c> adds an
    /// empty argument); System.CommandLine drops the empty text after '=' and takes the next
    /// argument as the value instead, so each such token of an option that takes a value becomes
    /// <c>--opt</c> followed by an empty argument. Expects the command path first.
    /// </summary>
    public static string[] EmptyValues(Command root, string[] args)
    {
        var (options, start) = OptionsOnPath(root, args);
        int end = Array.IndexOf(args, "--", start);
        if (end < 0) end = args.Length;
        var result = new List<string>(args.Length);
        for (int k = 0; k < args.Length; k++)
        {
            var a = args[k];
            if (k >= start && k < end && a.Length > 3 && a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') == a.Length - 1
                && options.TryGetValue(a[..^1], out var option) && option.ValueType != typeof(bool))
            {
                result.Add(a[..^1]);
                result.Add("");
            }
            else result.Add(a);
        }
        return result.Count == args.Length ? args : [.. result];
    }

    /// <summary>
    /// GOption lets an option that takes one value (or a flag) be given more than once, the last
    /// one winning (<c>ostree pull --depth=1 --depth=2</c>, <c>ostree --repo=A log --repo=B</c>);
    /// System.CommandLine rejects that ("expects a single argument but 2 were provided"), so every
    /// occurrence but the last is dropped. Options that collect values (<c>--subpath</c>,
    /// <c>--karg</c>) keep them all. Expects the command path first, as <see cref="MoveLeadingOptions"/> leaves it.
    /// </summary>
    public static string[] LastValueWins(Command root, string[] args)
    {
        var (options, pathLength) = OptionsOnPath(root, args);
        int i = pathLength;
        // the spans (first index, token count) each single-valued option was given in
        var spans = new Dictionary<Option, List<(int Start, int Count)>>();
        for (; i < args.Length && args[i] != "--"; i++)
        {
            var a = args[i];
            if (a.Length < 2 || a[0] != '-') continue;
            int eq = a.IndexOf('=');
            if (!options.TryGetValue(eq < 0 ? a : a[..eq], out var option)) continue;
            bool flag = option.ValueType == typeof(bool);
            bool separateValue = !flag && eq < 0 && i + 1 < args.Length;
            if (flag || option.Arity.MaximumNumberOfValues <= 1)
            {
                if (!spans.TryGetValue(option, out var list)) spans[option] = list = [];
                list.Add((i, separateValue ? 2 : 1));
            }
            if (separateValue) i++;
        }
        var dropped = new HashSet<int>();
        foreach (var (option, list) in spans)
        {
            if (list.Count < 2) continue;
            // GOption parses each value as it comes, so the first one that does not parse is the error
            var kept = list.FirstOrDefault(span => !Parses(root, args[..pathLength], option, args[span.Start..(span.Start + span.Count)]), list[^1]);
            foreach (var (start, count) in list.Where(span => span != kept))
                dropped.UnionWith(Enumerable.Range(start, count));
        }
        return dropped.Count == 0 ? args : [.. args.Where((_, k) => !dropped.Contains(k))];
    }

    /// <summary>The options of the command path at the start of <paramref name="args"/>, by every name, and the path's length.</summary>
    private static (Dictionary<string, Option> Options, int PathLength) OptionsOnPath(Command root, string[] args)
    {
        Command command = root;
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        int i = 0;
        for (; ; i++)
        {
            foreach (var option in command.Options)
                foreach (var name in option.Aliases.Append(option.Name))
                    options[name] = option;
            var sub = i < args.Length ? command.Subcommands.FirstOrDefault(s => s.Name == args[i] || s.Aliases.Contains(args[i])) : null;
            if (sub is null) break;
            command = sub;
        }
        return (options, i);
    }

    private static bool Parses(Command root, string[] path, Option option, string[] occurrence) =>
        !root.Parse([.. path, .. occurrence], CommandTree.Parsing).Errors.Any(e => e.SymbolResult is OptionResult r && r.Option == option);

    /// <summary>The one-line message for the first parse error, in GOption's words where it has them.</summary>
    public static string ErrorMessage(ParseResult parse, string[] args)
    {
        if (UnknownOptionIn(parse, args) is { } unknown)
            return $"Unknown option {unknown}";
        if (CommandGroupError(parse) is { } group)
            return group;
        return Describe(parse.Errors[0]);
    }

    /// <summary>
    /// ostree's words for a command that only groups subcommands, given none or one it lacks: "No command specified",
    /// "Unknown command 'X'" at the top, <c>No "admin kargs" subcommand specified</c> and
    /// <c>Unknown "remote" subcommand 'X'</c> below it.
    /// </summary>
    internal static string? CommandGroupError(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (command.Subcommands.Count == 0) return null;
        var path = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c && c.Parent is not null; r = r.Parent) path.Insert(0, c.Command.Name);
        var name = string.Join(' ', path);
        var verb = parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
        if (verb is null)
            return command.Action is not null ? null : path.Count == 0 ? "No command specified" : $"No \"{name}\" subcommand specified";
        return path.Count == 0 ? $"Unknown command '{verb}'" : $"Unknown \"{name}\" subcommand '{verb}'";
    }

    /// <summary>
    /// The message for the first error GOption itself would report (an unknown option, a value that
    /// does not parse), or null when the options are fine and only the arguments are not.
    /// </summary>
    public static string? OptionErrorMessage(ParseResult parse, string[] args)
    {
        if (UnknownOptionIn(parse, args) is { } unknown)
            return $"Unknown option {unknown}";
        return parse.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult) is { } error ? Describe(error) : null;
    }

    private static string? UnknownOptionIn(ParseResult parse, string[] args) =>
        parse.UnmatchedTokens.FirstOrDefault(t => t.Length > 1 && t[0] == '-' && !char.IsAsciiDigit(t[1])) ?? UnknownOption(parse, args);

    private static string Describe(ParseError error)
    {
        if (error.SymbolResult is OptionResult { Option: var option } result && result.Tokens.Count > 0
            && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            if (type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong))
                return $"Cannot parse integer value \u201c{result.Tokens[^1].Value}\u201d for {option.Name}";
            if (type == typeof(double))
                return $"Cannot parse double value \u201c{result.Tokens[^1].Value}\u201d for {option.Name}";
        }
        return error.Message;
    }

    /// <summary>
    /// System.CommandLine hands an unrecognized <c>--bogus</c> to a command's positional arguments;
    /// GOption (ostree) rejects it with "Unknown option --bogus". Values after <c>--</c> and
    /// negative numbers are still arguments.
    /// </summary>
    public static string? UnknownOption(ParseResult parse, string[] args)
    {
        int dashDash = Array.IndexOf(args, "--");
        var afterDashDash = dashDash < 0 ? [] : args[(dashDash + 1)..].ToHashSet(StringComparer.Ordinal);
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
            foreach (var token in argument.Tokens)
            {
                var v = token.Value;
                if (v.Length < 2 || v[0] != '-' || char.IsAsciiDigit(v[1]) || afterDashDash.Contains(v)) continue;
                return v;
            }
        return null;
    }
}
