using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote add [OPTION…] NAME [metalink=|mirrorlist=]URL [BRANCH…]</c>, written to the config as ostree writes it.</summary>
public static class RemoteAddCommand
{
    public static Command Create()
    {
        var set = new Option<string[]>("--set") { Description = "Set config option KEY=VALUE for remote", HelpName = "KEY=VALUE" };
        var noGpg = new Option<bool>("--no-gpg-verify") { Description = "Disable GPG verification" };
        var noSign = new Option<bool>("--no-sign-verify") { Description = "Disable signature verification" };
        var signVerify = new Option<string[]>("--sign-verify") { Description = "Verify signatures using KEYTYPE=inline:PUBKEY or KEYTYPE=file:/path/to/key", HelpName = "KEYTYPE=[inline|file]:PUBKEY" };
        var ifNotExists = new Option<bool>("--if-not-exists") { Description = "Do nothing if the provided remote exists" };
        var force = new Option<bool>("--force") { Description = "Replace the provided remote if it exists" };
        var gpgImport = new Option<string?>("--gpg-import") { Description = "Import GPG key from FILE", HelpName = "FILE" };
        var customBackend = new Option<string?>("--custom-backend") { Description = "This remote has content not fetched via libostree", HelpName = "NAME" };
        var contentUrl = new Option<string?>("--contenturl") { Description = "Use URL when fetching content", HelpName = "URL" };
        var collectionId = new Option<string?>("--collection-id") { Description = "Globally unique ID for this repository as an collection of refs for redistribution to other repositories", HelpName = "COLLECTION-ID" };
        var repo = new Option<string?>("--repo") { Description = "Path to OSTree repository (defaults to /sysroot/ostree/repo)", HelpName = "PATH" };
        var sysroot = new Option<string?>("--sysroot") { Description = "Use sysroot at PATH (overrides --repo)", HelpName = "PATH" };
        var args = new Argument<string[]>("NAME [metalink=|mirrorlist=]URL [BRANCH...]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("add", "Add a remote repository")
        {
            set, noGpg, noSign, signVerify, ifNotExists, force, gpgImport, customBackend, contentUrl, collectionId, repo, sysroot, args,
        };
        cmd.SetAction(p =>
        {
            var a = p.GetValue(args) ?? [];
            var backend = p.GetValue(customBackend);
            if (backend is not null ? a.Length < 1 : a.Length < 2)
                throw new RepoException(backend is not null ? "NAME must be specified" : "NAME and URL must be specified");
            if (p.GetValue(ifNotExists) && p.GetValue(force))
                throw new RepoException("Can only specify one of --if-not-exists and --force");
            var name = a[0];
            var url = a.Length > 1 ? a[1] : null;

            // the order ostree builds its option dictionary in, which is the order of the keys in the file
            var options = new List<RemoteOption>();
            if (a.Length > 2) options.Add(RemoteOption.StringList("branches", a[2..]));
            if (p.GetValue(contentUrl) is { } cu) options.Add(RemoteOption.String("contenturl", cu));
            if (backend is not null) options.Add(RemoteOption.String("custom-backend", backend));
            foreach (var kv in p.GetValue(set) ?? [])
            {
                int eq = kv.IndexOf('=');
                if (eq < 0) throw new RepoException("Missing '=' in KEY=VALUE for --set");
                options.Add(RemoteOption.String(kv[..eq], kv[(eq + 1)..]));
            }
            if (p.GetValue(noGpg) || p.GetValue(noSign)) options.Add(RemoteOption.Boolean("gpg-verify", false));
            var verifySpecs = p.GetValue(signVerify) ?? [];
            if (p.GetValue(noSign))
            {
                if (verifySpecs.Length > 0) throw new RepoException("Cannot specify both --sign-verify and --no-sign-verify");
                options.Add(RemoteOption.Boolean("sign-verify", false));
            }
            var signTypes = new List<string>();
            foreach (var spec in verifySpecs) signTypes.Add(AddVerifyOption(spec, options));
            if (signTypes.Count > 0) options.Add(RemoteOption.String("sign-verify", string.Join(',', signTypes)));
            if (p.GetValue(collectionId) is { } cid) options.Add(RemoteOption.String("collection-id", cid));

            var store = RemoteCommand.Open(p.GetValue(repo), p.GetValue(sysroot));
            store.Add(name, url, options, p.GetValue(ifNotExists), p.GetValue(force));
            if (p.GetValue(gpgImport) is { } keyFile)
            {
                int n = GpgKeyringImport.Import(store, name, [KeyFile.Read(keyFile)]);
                CommandContext.Get().Out.WriteLine($"Imported {n} GPG key{(n == 1 ? "" : "s")} to remote \"{name}\"");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary><c>KEYTYPE=inline:KEY</c> or <c>KEYTYPE=file:PATH</c> → verification-KEYTYPE-key / -file.</summary>
    private static string AddVerifyOption(string spec, List<RemoteOption> options)
    {
        int eq = spec.IndexOf('=');
        if (eq < 0) throw new RepoException($"Failed to parse KEYTYPE=[inline|file]:DATA in {spec}");
        var type = spec[..eq];
        SignTypes.Require(type);
        var rest = spec[(eq + 1)..];
        int colon = rest.IndexOf(':');
        var kind = colon < 0 ? rest : rest[..colon];
        var optName = kind switch
        {
            "inline" => $"verification-{type}-key",
            "file" => $"verification-{type}-file",
            _ => throw new RepoException($"Invalid key reference {kind}, expected inline|file"),
        };
        if (colon < 0) throw new RepoException($"Failed to parse KEYTYPE=[inline|file]:DATA in {spec}");
        options.Add(RemoteOption.String(optName, rest[(colon + 1)..]));
        return type;
    }
}
