using Arbor.Cli.Common;

namespace Arbor.Cli.Tests.Common;

/// <summary>libglnx's non-terminal progress: the first line, at most one a second, and always 100%.</summary>
public sealed class ConsoleProgressTests
{
    [Fact]
    public void OnAPipeOnlyTheFirstAndTheLastLineOfAFastRunArePrinted()
    {
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(output, isTerminal: false);
        for (int i = 1; i <= 34; i++) progress.Items("fsck objects", i, 34);
        progress.Finish();
        Assert.Equal("fsck objects (1/34) 2%\nfsck objects (34/34) 100%\n", output.ToString());
    }

    [Fact]
    public void ASingleItemIsOneLineAtOneHundredPercent()
    {
        var output = new StringWriter();
        new ConsoleProgress(output, isTerminal: false).Items("fsck objects", 1, 1);
        Assert.Equal("fsck objects (1/1) 100%\n", output.ToString());
    }

    [Fact]
    public void OnATerminalTheBarIsRedrawnInPlace()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, isTerminal: true);
        progress.Items("fsck objects", 5, 10);
        progress.Items("fsck objects", 10, 10);
        progress.Finish();
        var text = output.ToString();
        Assert.StartsWith("\u001b7\u001b8fsck objects (5/10) [", text);
        Assert.Contains("]  50%", text);
        Assert.EndsWith("] 100%\n", text);
    }
}
