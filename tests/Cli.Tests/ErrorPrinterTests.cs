using Arbor.Repo.Core;

namespace Arbor.Cli.Tests;

/// <summary>The one error line: the BCL's file sentences come out as "PATH: strerror", as a C tool words them.</summary>
public sealed class ErrorPrinterTests
{
    private static (int, string) Print(Exception e)
    {
        var w = new StringWriter();
        int code = ErrorPrinter.Print(e, w, verbose: false);
        return (code, w.ToString());
    }

    [Fact]
    public void AccessDeniedNamesThePathAndTheErrnoItCarries()
    {
        Assert.Equal((1, "error: /r/objects/ab/cd.commit: Permission denied\n"),
            Print(new UnauthorizedAccessException("Access to the path '/r/objects/ab/cd.commit' is denied.", new IOException("Permission denied", 13))));
        // Directory.Delete on a read-only mount
        Assert.Equal((1, "error: /r/deltas/LY/x: Read-only file system\n"),
            Print(new UnauthorizedAccessException("Access to the path '/r/deltas/LY/x' is denied.", new IOException("Read-only file system", 30))));
    }

    [Fact]
    public void AnErrnoWithoutABclSentenceComesBeforeThePathNotAfter()
    {
        Assert.Equal((1, "error: /s/ostree/lock: Read-only file system\n"), Print(new IOException("Read-only file system : '/s/ostree/lock'", 30)));
        Assert.Equal((1, "error: Staging /r/x: /r/.x.tmp-1: No space left on device\n"),
            Print(new RepoException("Staging /r/x: No space left on device : '/r/.x.tmp-1'")));
    }

    [Fact]
    public void BclSentencesInsideAnArborMessageAreRewordedToo()
    {
        Assert.Equal((1, "error: Listing refs: /r/refs/heads/main: Permission denied\n"),
            Print(new RepoException("Listing refs: Access to the path '/r/refs/heads/main' is denied.")));
        Assert.Equal((1, "error: Listing refs: /r/refs/heads/x: No such file or directory\n"),
            Print(new RepoException("Listing refs: Could not find file '/r/refs/heads/x'.")));
    }

    [Fact]
    public void OrdinaryMessagesAreLeftAlone()
    {
        Assert.Equal((1, "error: Refspec 'main' not found\n"), Print(new RepoException("Refspec 'main' not found")));
        Assert.Equal((1, "error: opening repo: openat(config): Permission denied\n"), Print(new RepoException("opening repo: openat(config): Permission denied")));
    }

    /// <summary>`ostree rev-parse` of an empty ref file says "error: Invalid rev " (the empty rev after the space).</summary>
    [Fact]
    public void AMessagesTrailingSpaceIsKeptAndItsTrailingNewlineDropped()
    {
        Assert.Equal((1, "error: Invalid rev \n"), Print(new RepoException("Invalid rev ")));
        Assert.Equal((1, "error: a b\n"), Print(new RepoException("a\nb\n")));
    }
}
