using Arbor.Cli.Common;
using Arbor.Repo.Checkout;
using Arbor.Repo.Progress;
using Arbor.Repo.Prune;
using Arbor.Repo.Store;

namespace Arbor.Cli.Tests.Common;

public sealed class TerminalProgressTests
{
    [Fact]
    public void WhileScanningTheTotalIsEstimating()
    {
        var e = new ProgressEvent(PullPhase.Scanning, 12, 30, 400, false, 2_500_000, 1_000_000, TimeSpan.FromSeconds(2));
        Assert.Equal("Receiving metadata objects: 42/(estimating) 1.2\u00A0MB/s 2.5\u00A0MB", TerminalProgress.Format(e));
    }

    [Fact]
    public void OnceTheTotalIsKnownItShowsPercentRateBytesAndEta()
    {
        var e = new ProgressEvent(PullPhase.Receiving, 100, 900, 4000, true, 30_000_000, 29_000_000, TimeSpan.FromSeconds(10));
        // 1000 objects in 10 s: 3000 left take 30 s
        Assert.Equal("Receiving objects: 25% (1000/4000) 3.0\u00A0MB/s 30.0\u00A0MB 30s remaining", TerminalProgress.Format(e));
        var slow = e with { Elapsed = TimeSpan.FromSeconds(100) };
        Assert.EndsWith("5m00s remaining", TerminalProgress.Format(slow));
    }

    [Fact]
    public void TheLineIsRewrittenInPlaceAndClearedAtTheEnd()
    {
        var sw = new StringWriter();
        var p = new TerminalProgress(sw);
        p.Report(new ProgressEvent(PullPhase.Resolving, 0, 0, 0, false, 0, 0, TimeSpan.Zero));
        p.Clear();
        Assert.Equal("\r\u001b[KFetching summary and refs\r\u001b[K", sw.ToString());
    }

    [Fact]
    public void OtherCommandsShowTheirLineTheSameWayAndLinesWrittenMeanwhileEraseItFirst()
    {
        var sw = new StringWriter();
        var p = new TerminalProgress(sw);
        p.Lines<CheckoutProgress>(ProgressLines.Checkout).Report(new CheckoutProgress(3, 10, 0));
        p.ClearingFirst(sw).Write("note\n");
        p.ClearingFirst(sw.Write)("more\n"); // nothing shown any more: nothing to erase
        p.Lines<PruneResult>(ProgressLines.Prune).Report(new PruneResult(7, 2, 0));
        p.Clear();
        Assert.Equal("\r\u001b[KChecking out: 10 files, 3 directories\r\u001b[Knote\nmore\n\r\u001b[KPruning: 7 objects examined, 2 unreachable\r\u001b[K", sw.ToString());
        Assert.Equal("Committing: 5 files, 4 written (2.0\u00A0kB)", ProgressLines.Commit(new TransactionStats(9, 9, 5, 4, 2000)));
        Assert.Equal("Generating static delta: 25% (3/12 objects), 1 parts written", ProgressLines.DeltaGenerate(new DeltaGenerateProgress(3, 12, 1)));
    }

    [Fact]
    public void JsonProgressIsOneCompactObjectPerLine()
    {
        var sw = new StringWriter { NewLine = "\n" };
        new JsonProgress(sw).Report(new ProgressEvent(PullPhase.Receiving, 1, 2, 4, true, 1000, 500, TimeSpan.FromSeconds(1)));
        Assert.Equal("{\"phase\":\"receiving\",\"metadataFetched\":1,\"contentFetched\":2,\"objectsFetched\":3,\"objectsTotal\":4,\"totalIsFinal\":true,"
            + "\"bytesTransferred\":1000,\"contentBytesWritten\":500,\"elapsedSeconds\":1,\"bytesPerSecond\":1000,\"etaSeconds\":0.3}\n", sw.ToString());
    }
}
