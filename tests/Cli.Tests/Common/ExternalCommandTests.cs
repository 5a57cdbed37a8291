using Arbor.Cli.Common;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Common;

/// <summary>ostree's CLI extensions: an unknown verb runs <c>ostree-VERB</c> from <c>$PATH</c> with the same arguments.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExternalCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-extension");

    public void Dispose() => _tmp.Dispose();

    private string Script(string name, string body)
    {
        var path = _tmp.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    [Fact]
    public void OnlyAVerbThatIsNoBuiltinAndHasAnExecutableIsFound()
    {
        var env = Script("ostree-env", "exit 0\n");
        File.WriteAllText(_tmp.Combine("ostree-notexec"), "");
        var root = CommandTree.Build();
        var path = $"/nonexistent:{_tmp.Path}";
        Assert.Equal(env, ExternalCommand.Find(root, ["--repo=x", "env", "a"], path));
        Assert.Null(ExternalCommand.Find(root, ["refs"], path));
        Assert.Null(ExternalCommand.Find(root, ["notexec"], path));
        Assert.Null(ExternalCommand.Find(root, ["nosuch"], path));
        Assert.Null(ExternalCommand.Find(root, ["--version"], path));
    }

    [Fact]
    public void TheExtensionReplacesArborWithTheSameArguments()
    {
        Script("ostree-env", "echo \"$@\"; echo \"MARK=$MARK\"\n");
        var r = ProcessRunner.Run(ArborProcess.Executable, ["--repo=x", "env", "a b"],
            env: new Dictionary<string, string> { ["PATH"] = _tmp.Path + ":" + Environment.GetEnvironmentVariable("PATH"), ["MARK"] = "1" });
        Assert.Equal((0, "--repo=x env a b\nMARK=1\n"), (r.ExitCode, r.Stdout));
    }
}
