using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Kills <c>admin deploy --stage</c> and <c>admin finalize-staged</c> at each named step on a
/// booted system: the boot configuration is the old one or the new one (read the same by arbor
/// and the real ostree), a half-staged deployment is never finalized, and the next
/// <c>admin cleanup</c> leaves exactly what the configuration uses.
/// </summary>
public sealed class StagedCrashSafetyTests
{
    public static TheoryData<string, string> KillPoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var p in new[] { CrashPoint.Names.DeploymentCheckedOut, CrashPoint.Names.EtcPrepared, CrashPoint.Names.DeploymentStaged })
            data.Add("stage", p);
        foreach (var p in new[]
                 {
                     CrashPoint.Names.StagedStateRemoved, CrashPoint.Names.EtcMerged, CrashPoint.Names.DeploymentSealed,
                     CrashPoint.Names.EntriesWritten, CrashPoint.Names.BootLinksSwapped, CrashPoint.Names.BeforeLoaderSwap,
                     CrashPoint.Names.LoaderSwapped, CrashPoint.Names.DeploymentsWritten, CrashPoint.Names.CleanupDeployment,
                 })
            data.Add("finalize", p);
        return data;
    }

    [Theory]
    [MemberData(nameof(KillPoints))]
    public void KilledStagingOrFinalizationLeavesOldOrNewConfiguration(string command, string point)
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        var sysroot = b.Sysroot("arbor");
        var old = sysroot.Load().NonStaged.Select(d => d.Name).ToList();
        if (command == "finalize")
        {
            // something for the final cleanup to remove: the rollback's own kernel is still used, an extra deployment is not
            b.Ok("arbor", "arbor", "admin", "deploy", "--retain", "vectoros/v1");
            old = sysroot.Load().NonStaged.Select(d => d.Name).ToList();
            b.Ok("arbor", "arbor", "admin", "deploy", "--stage", "vectoros/v3");
        }
        var args = command == "stage" ? new[] { "admin", "deploy", "--stage", "vectoros/v3" } : ["admin", "finalize-staged"];
        var killed = b.ArborWithEnv("arbor", new Dictionary<string, string> { [CrashPoint.EnvironmentVariable] = point }, args);
        Assert.True(killed.ExitCode == 137 || killed.ExitCode == -9 || killed.ExitCode == 128 + 9, $"{command} never reached {point}: {killed}");

        // the boot configuration is whole: both tools read it, and it is the old list or the new one
        var status = b.Ok("ostree", "arbor", "admin", "status");
        Assert.Equal(status, b.Ok("arbor", "arbor", "admin", "status"));
        var now = sysroot.Load();
        var names = now.NonStaged.Select(d => d.Name).ToList();
        bool isOld = names.SequenceEqual(old);
        var v3 = b.Twin.ArborSysroot("arbor").Repo.Refs.TryRead(null, "vectoros/v3")!.Value.ToString();
        bool isNew = names.Count >= 2 && names[0].StartsWith(v3, StringComparison.Ordinal) && names.Skip(1).All(old.Contains)
            && names.Contains(now.Booted!.Name);
        Assert.True(isOld || isNew, $"after a kill at {point}: [{string.Join(", ", names)}], before: [{string.Join(", ", old)}]");
        // a staged deployment survives only if its state was fully written, and is then finalizable
        if (now.Staged is not null)
        {
            Assert.Equal("stage", command);
            b.Ok("arbor", "arbor", "admin", "finalize-staged");
        }

        // cleanup leaves exactly the deployments the configuration names
        b.Ok("arbor", "arbor", "admin", "cleanup");
        var listed = sysroot.Load().NonStaged.Select(d => d.Name).Order(StringComparer.Ordinal);
        var onDisk = Directory.EnumerateDirectories(b.Twin.Host("arbor", "ostree/deploy/vectoros/deploy")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(listed, onDisk);
        Assert.Equal(b.Ok("ostree", "arbor", "admin", "status"), b.Ok("arbor", "arbor", "admin", "status"));
        Assert.False(File.Exists(b.StagedState("arbor")) && sysroot.Load().Staged is null);
    }
}
