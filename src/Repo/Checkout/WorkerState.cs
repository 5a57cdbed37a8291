namespace Arbor.Repo.Checkout;

/// <summary>One worker thread's scratch buffer and counters (summed when the checkout ends, so the hot path shares nothing).</summary>
internal sealed class WorkerState
{
    public const int CopyBufferSize = 128 * 1024;

    public byte[] CopyBuffer { get; } = new byte[CopyBufferSize];

    public long Directories;
    public long RegularFiles;
    public long Symlinks;
    public long Hardlinked;
    public long Copied;
    public long BytesCopied;
    public long Skipped;
    public long Whiteouts;

    public static CheckoutStats Sum(IEnumerable<WorkerState> states, TimeSpan elapsed)
    {
        long d = 0, r = 0, s = 0, h = 0, c = 0, b = 0, k = 0, w = 0;
        foreach (var x in states)
        {
            d += x.Directories; r += x.RegularFiles; s += x.Symlinks; h += x.Hardlinked;
            c += x.Copied; b += x.BytesCopied; k += x.Skipped; w += x.Whiteouts;
        }
        return new CheckoutStats
        {
            Directories = d, RegularFiles = r, Symlinks = s, Hardlinked = h, Copied = c,
            BytesCopied = b, Skipped = k, Whiteouts = w, Elapsed = elapsed,
        };
    }
}
