namespace Arbor.Cli.Common;

/// <summary>Recognizes a write to a closed pipe (EPIPE) anywhere in an exception's chain.</summary>
public static class BrokenPipe
{
    private const int EPIPE = 32;

    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: EPIPE }) return true;
            if (e is AggregateException { InnerExceptions: var inner } && inner.Any(Is)) return true;
        }
        return false;
    }
}
