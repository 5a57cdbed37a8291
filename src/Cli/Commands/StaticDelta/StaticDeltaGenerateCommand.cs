using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Progress;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.Signing;
using Arbor.Repo.StaticDelta;

namespace Arbor.Cli.Commands.StaticDelta;

/// <summary>
/// <c>arbor static-delta generate [--from=REV|--empty] --to=REV|TO</c> with ostree 2022.7's flags:
/// FROM defaults to TO's parent; sizes are whole megabytes (10^6 bytes) read as ostree's
/// <c>g_ascii_strtoull</c> reads them. It prints ostree's three stdout lines, and its statistics on
/// stderr. <c>--sign=KEY</c> (repeatable) and <c>--keys-file</c> sign the superblock with the
/// <c>--sign-type</c> engine into ostree's <c>OSTSGNDT</c> wrapper; the keys are checked before any
/// work, so a bad key leaves no parts behind.
/// </summary>
public static class StaticDeltaGenerateCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var from = new Option<string?>("--from") { Description = "Create delta from revision REV", HelpName = "REV" };
        var empty = new Option<bool>("--empty") { Description = "Create delta from scratch" };
        var inline = new Option<bool>("--inline") { Description = "Inline delta parts into main delta" };
        var to = new Option<string?>("--to") { Description = "Create delta to revision REV", HelpName = "REV" };
        var disableBsdiff = new Option<bool>("--disable-bsdiff") { Description = "Disable use of bsdiff" };
        var ifNotExists = new Option<bool>("--if-not-exists", "-n") { Description = "Only generate if a delta does not already exist" };
        var setEndianness = new Option<string?>("--set-endianness") { Description = "Choose metadata endianness ('l' or 'B')", HelpName = "ENDIAN" };
        var swapEndianness = new Option<bool>("--swap-endianness") { Description = "Swap metadata endianness from host order" };
        var minFallback = new Option<string?>("--min-fallback-size") { Description = "Minimum uncompressed size in megabytes for individual HTTP request" };
        var maxBsdiff = new Option<string?>("--max-bsdiff-size") { Description = "Maximum size in megabytes to consider bsdiff compression for input files" };
        var maxChunk = new Option<string?>("--max-chunk-size") { Description = "Maximum size of delta chunks in megabytes" };
        var filename = new Option<string?>("--filename") { Description = "Write the delta content to PATH (a directory).  If not specified, the OSTree repository is used", HelpName = "PATH" };
        var sign = new Option<string[]>("--sign") { Description = "Sign the delta with", HelpName = "KEY_ID" };
        var signType = new Option<string?>("--sign-type") { Description = "Signature type to use (defaults to 'ed25519')", HelpName = "NAME" };
        var keysFile = new Option<string?>("--keys-file") { Description = "Read key(s) from file", HelpName = "NAME" };
        var rest = StaticDeltaCommand.Rest("TO");
        var cmd = new Command("generate", "Generate static delta files")
        {
            repo, from, empty, inline, to, disableBsdiff, ifNotExists, setEndianness, swapEndianness,
            minFallback, maxBsdiff, maxChunk, filename, sign, signType, keysFile, rest,
        };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            r.EnsureWritable();
            var toRev = p.GetValue(to) ?? (p.GetValue(rest) is { Length: > 0 } a ? a[0] : null)
                ?? throw new RepoException("TO revision must be specified");
            string? fromRev;
            if (p.GetValue(empty))
            {
                if (p.GetValue(from) is not null) throw new RepoException("Cannot specify both --empty and --from=REV");
                fromRev = null;
            }
            else fromRev = p.GetValue(from) ?? toRev + "^";
            Checksum? fromCommit = fromRev is null ? null : RevParser.Resolve(r, fromRev);
            var toCommit = RevParser.Resolve(r, toRev);
            var o = CommandContext.Get().Out;
            if (p.GetValue(ifNotExists))
            {
                var name = Arbor.Repo.StaticDelta.DeltaSuperblock.Name(fromCommit, toCommit);
                if (StaticDeltaStore.Exists(r, name))
                {
                    o.Write($"Delta {name} already exists.\n");
                    return 0;
                }
            }
            bool big = p.GetValue(setEndianness) switch
            {
                null or "l" => false,
                "B" => true,
                var e => throw new RepoException($"Invalid endianness '{e}'"),
            };
            if (p.GetValue(swapEndianness)) big = !big;
            if (p.GetValue(filename) is "") throw new RepoException("Invalid 'filename' parameter");
            var engine = SignEngine.ByName(p.GetValue(signType) ?? SignTypes.Ed25519);
            IReadOnlyList<string>? signKeys = null;
            if (p.GetValue(sign) is { Length: > 0 } || p.GetValue(keysFile) is not null)
            {
                var keys = (p.GetValue(sign) ?? []).ToList();
                if (p.GetValue(keysFile) is { } kf) keys.AddRange(Ed25519Keys.ReadKeyFile(kf));
                foreach (var k in keys) engine.CheckSecretKey(k);
                signKeys = keys;
            }
            var defaults = new DeltaGenerateOptions();
            var terminal = TerminalProgress.ForCommand();
            var options = new DeltaGenerateOptions
            {
                MinFallbackSize = Megabytes(p.GetValue(minFallback)) ?? defaults.MinFallbackSize,
                MaxChunkSize = Megabytes(p.GetValue(maxChunk)) ?? defaults.MaxChunkSize,
                MaxBsdiffSize = Megabytes(p.GetValue(maxBsdiff)) ?? defaults.MaxBsdiffSize,
                BsDiff = !p.GetValue(disableBsdiff),
                BigEndian = big,
                InlineParts = p.GetValue(inline),
                Filename = p.GetValue(filename),
                SignEngine = engine,
                SignKeys = signKeys,
                Progress = terminal?.Lines<DeltaGenerateProgress>(ProgressLines.DeltaGenerate),
            };

            o.Write("Generating static delta:\n");
            o.Write($"  From: {fromCommit?.ToString() ?? "empty"}\n");
            o.Write($"  To:   {toCommit}\n");
            o.Flush();
            var log = CommandContext.Get().Error;
            try { DeltaGenerator.Generate(r, fromCommit, toCommit, options, terminal?.ClearingFirst(log) ?? log); }
            finally { terminal?.Clear(); }
            return 0;
        });
        return cmd;
    }

    /// <summary>A size in megabytes as <c>g_ascii_strtoull</c> reads it (leading digits; none is 0), in bytes; null when not given.</summary>
    private static ulong? Megabytes(string? text)
    {
        if (text is null) return null;
        var s = text.AsSpan().TrimStart();
        int n = 0;
        while (n < s.Length && char.IsAsciiDigit(s[n])) n++;
        if (n == 0) return 0;
        return ulong.TryParse(s[..n], out var mb) && mb <= uint.MaxValue ? mb * DeltaGenerateOptions.Megabyte : uint.MaxValue * DeltaGenerateOptions.Megabyte;
    }
}
