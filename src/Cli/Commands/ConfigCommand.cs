using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor config [--group=GROUP] (get KEY|set KEY VALUE|unset KEY)</c>, as ot-builtin-config.c.</summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var group = new Option<string?>("--group") { Description = "Group name" };
        var args = new Argument<string[]>("(get KEY|set KEY VALUE|unset KEY)") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("config", "Change repo configuration settings") { repo, group, args };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var a = p.GetValue(args) ?? [];
            var g = p.GetValue(group);
            if (a.Length < 1) throw new RepoException("OPERATION must be specified");
            var op = a[0];
            if (a.Length > (op == "set" ? 3 : 2)) throw new RepoException("Too many arguments given");
            var config = r.Config;
            switch (op)
            {
                case "set":
                {
                    if (a.Length < 3) throw new RepoException(g is not null ? "GROUP name, KEY and VALUE must be specified" : "KEY and VALUE must be specified");
                    var (section, key) = g is not null ? (g, a[1]) : SplitKey(a[1]);
                    config.KeyFile.SetString(section, key, a[2]);
                    config.Save();
                    break;
                }
                case "get":
                {
                    var (section, key) = SectionAndKey(a, g);
                    if (!config.KeyFile.HasGroup(section)) throw new RepoException($"Key file does not have group “{section}”");
                    var value = config.KeyFile.GetString(section, key) ?? throw new RepoException($"Key file does not have key “{key}” in group “{section}”");
                    CommandContext.Get().Out.Write(value + "\n");
                    break;
                }
                case "unset":
                {
                    var (section, key) = SectionAndKey(a, g);
                    if (config.KeyFile.RemoveKey(section, key)) config.Save();
                    break;
                }
                default:
                    throw new RepoException($"Unknown operation {op}");
            }
            return 0;
        });
        return cmd;
    }

    private static (string Section, string Key) SectionAndKey(string[] a, string? group)
    {
        if (a.Length < 2) throw new RepoException(group is not null ? "Group name and key must be specified" : "KEY must be specified");
        return group is not null ? (group, a[1]) : SplitKey(a[1]);
    }

    /// <summary><c>split_key_string</c>: the section is everything before the first '.'.</summary>
    private static (string Section, string Key) SplitKey(string k)
    {
        int dot = k.IndexOf('.');
        if (dot < 0) throw new RepoException("Key must be of the form \"sectionname.keyname\"");
        return (k[..dot], k[(dot + 1)..]);
    }
}
