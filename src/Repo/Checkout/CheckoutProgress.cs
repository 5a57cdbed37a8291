namespace Arbor.Repo.Checkout;

/// <summary>Work done so far by a running checkout: finished directories, files written, bytes copied.</summary>
public readonly record struct CheckoutProgress(long Directories, long Files, long BytesCopied);
