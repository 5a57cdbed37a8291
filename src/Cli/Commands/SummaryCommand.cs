using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Cli.Output;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor summary -u | --view | --raw [--sign=KEY]</c>: write or show the repository's summary (with a collection ID, <c>-u</c> also commits <c>ostree-metadata</c>).</summary>
public static class SummaryCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var update = new Option<bool>("--update", "-u") { Description = "Update the summary" };
        var view = new Option<bool>("--view", "-v") { Description = "View the local summary file" };
        var raw = new Option<bool>("--raw") { Description = "View the raw bytes of the summary file" };
        var sign = new Option<string[]>("--sign") { Description = "Key ID to sign the summary with", HelpName = "KEY-ID" };
        var signType = new Option<string?>("--sign-type") { Description = "Signature type to use (defaults to 'ed25519')", HelpName = "NAME" };
        var gpgSign = new Option<string[]>("--gpg-sign") { Description = "GPG Key ID to sign the summary with", HelpName = "KEY-ID" };
        var gpgHomedir = new Option<string?>("--gpg-homedir") { Description = "GPG Homedir to use when looking for keyrings", HelpName = "HOMEDIR" };
        var addMetadata = new Option<string[]>("--add-metadata", "-m") { Description = "Additional metadata field to add to the summary", HelpName = "KEY=VALUE" };
        var cmd = new Command("summary", "Manage summary metadata") { repo, update, view, raw, sign, signType, gpgSign, gpgHomedir, addMetadata };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var keys = p.GetValue(sign) ?? [];
            var engine = SignEngine.ByName(p.GetValue(signType) ?? SignTypes.Ed25519);
            foreach (var k in keys) engine.CheckSecretKey(k);
            if (p.GetValue(update))
            {
                var metadata = AdditionalMetadata(p.GetValue(addMetadata) ?? []);
                r.EnsureWritable();
                var gpgKeys = p.GetValue(gpgSign) ?? [];
                // with a collection ID, the metadata goes into an ostree-metadata commit first, as in ostree
                if (r.Config.CollectionId is { } collectionId)
                    MetadataCommit.Write(r, collectionId, metadata, gpgKeys, p.GetValue(gpgHomedir), engine, keys);
                SummaryWriter.Regenerate(r, metadata);
                if (gpgKeys.Length > 0) GpgSigning.SignSummary(r, gpgKeys, new GpgSigner(p.GetValue(gpgHomedir)));
                if (keys.Length > 0) engine.SignSummary(r, keys);
                return 0;
            }
            if (p.GetValue(view) || p.GetValue(raw))
            {
                var path = r.FullPath(RepoLayout.Summary);
                if (!File.Exists(path)) throw new RepoException("openat(summary): No such file or directory");
                var summary = SummaryReader.Parse(File.ReadAllBytes(path), path);
                var o = CommandContext.Get().Out;
                if (p.GetValue(raw)) SummaryTextRenderer.RenderRaw(o, summary);
                else SummaryTextRenderer.Render(o, summary);
                return 0;
            }
            throw new RepoException("No option specified; use -u to update summary");
        });
        return cmd;
    }

    /// <summary><c>-m KEY=VALUE</c>, VALUE in GVariant text format (ostree's build_additional_metadata).</summary>
    private static List<KeyValuePair<string, GVariantValue>> AdditionalMetadata(string[] args)
    {
        var list = new List<KeyValuePair<string, GVariantValue>>();
        foreach (var arg in args)
        {
            int eq = arg.IndexOf('=');
            if (eq < 0) throw new RepoException($"Missing '=' in KEY=VALUE metadata '{arg}'");
            var value = arg[(eq + 1)..];
            try { list.Add(new(arg[..eq], GVariantTextParser.Parse(value))); }
            catch (FormatException e) { throw new RepoException($"Error parsing variant \u2018{value}\u2019: {e.Message}"); }
        }
        return list;
    }
}
