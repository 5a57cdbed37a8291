using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor pull-local [OPTION…] SRC_REPO [REFS…]</c>: copy commits from a local repository of any mode.</summary>
public static class PullLocalCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var commitOnly = new Option<bool>("--commit-metadata-only") { Description = "Fetch only the commit metadata" };
        var remote = new Option<string?>("--remote") { Description = "Add REMOTE to refspec", HelpName = "REMOTE" };
        var disableFsync = new Option<bool>("--disable-fsync") { Description = "Do not invoke fsync()" };
        var perObjectFsync = new Option<bool>("--per-object-fsync") { Description = "Perform writes in such a way that avoids stalling concurrent processes" };
        var bareUserOnlyFiles = new Option<bool>("--bareuseronly-files") { Description = "Reject regular files with mode outside of 0775 (world writable, suid, etc.)" };
        var untrusted = new Option<bool>("--untrusted") { Description = "Verify checksums of local sources (always enabled for HTTP pulls)" };
        var gpgVerify = new Option<bool>("--gpg-verify") { Description = "GPG verify commits (must specify --remote)" };
        var gpgVerifySummary = new Option<bool>("--gpg-verify-summary") { Description = "GPG verify summary (must specify --remote)" };
        var noBindings = new Option<bool>("--disable-verify-bindings") { Description = "Do not verify commit bindings" };
        var requireDeltas = new Option<bool>("--require-static-deltas") { Description = "Require static deltas" };
        var depth = new Option<int>("--depth") { Description = "Traverse DEPTH parents (-1=infinite) (default: 0)", HelpName = "DEPTH" };
        var jsonProgress = new Option<bool>("--json-progress") { Description = "Print progress as one JSON object per line" };
        var args = new Argument<string[]>("SRC_REPO [REFS...]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("pull-local", "Copy data from SRC_REPO")
        {
            repo, commitOnly, remote, disableFsync, perObjectFsync, untrusted, bareUserOnlyFiles, gpgVerify, gpgVerifySummary, noBindings, requireDeltas, depth, jsonProgress, GlobalOptions.Verbose(), args,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var a = p.GetValue(args) ?? [];
            if (a.Length < 1) throw new RepoException("DESTINATION must be specified");
            var remoteName = p.GetValue(remote);
            bool gv = p.GetValue(gpgVerify), gvs = p.GetValue(gpgVerifySummary);
            if ((gv || gvs) && remoteName is null) throw new RepoException("Must specify --remote with --gpg-verify or --gpg-verify-summary");
            var repository = RepoLocator.Open(p.GetValue(repo));
            repository.EnsureWritable();
            if (p.GetValue(disableFsync)) repository.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "fsync", false);
            if (p.GetValue(perObjectFsync)) repository.PerObjectFsync = true;
            // without REFS, every ref of the source as ostree_repo_list_refs names them: a remote's as
            // REMOTE:REF, which the pull then refuses ("Invalid ref name"), as ostree's does
            var refs = a.Length > 1 ? a[1..] : new RefListing(Repository.Open(a[0])).List(null).Entries.Select(e => e.Key).ToArray();
            var options = new PullOptions
            {
                Refs = refs,
                Depth = p.GetValue(depth),
                CommitMetadataOnly = p.GetValue(commitOnly),
                Untrusted = p.GetValue(untrusted),
                BareUserOnlyFiles = p.GetValue(bareUserOnlyFiles),
                DisableVerifyBindings = p.GetValue(noBindings),
                RequireStaticDeltas = p.GetValue(requireDeltas),
                LocalRemoteName = remoteName,
            };
            return await PullRunner.RunAsync(options, p.GetValue(jsonProgress), o => gv || gvs
                ? Puller.PullLocalVerifiedAsync(repository, a[0], RemoteStore.For(repository), remoteName!, gv, gvs, o, ct)
                : Puller.PullLocalAsync(repository, a[0], o, ct));
        });
        return cmd;
    }
}
