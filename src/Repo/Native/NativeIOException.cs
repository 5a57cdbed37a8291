namespace Arbor.Repo.Native;

/// <summary>A failed system call: the operation, the path it was about and errno, in one line.</summary>
public sealed class NativeIOException : IOException
{
    public NativeIOException(string operation, string? path, int errno)
        : base(Format(operation, path, errno), errno)
    {
        Operation = operation;
        PathName = path;
        Errno = errno;
    }

    public string Operation { get; }
    public string? PathName { get; }
    public int Errno { get; }

    private static string Format(string op, string? path, int errno)
    {
        var text = Arbor.Repo.Native.Errno.Describe(errno);
        return path is null ? $"{op}: {text}" : $"{op} '{path}': {text}";
    }
}
