using Microsoft.Win32.SafeHandles;

namespace Arbor.Boot;

/// <summary>
/// stdout and stderr as plain streams over fds 1 and 2. Not System.Console: its first write initializes
/// the console (terminal settings, encoding lookup through a hash table seeded from the kernel's random
/// pool); early in boot, before the crng is ready, that read of /dev/urandom waits for entropy (seconds
/// in a VM). The boot stage must not depend on entropy, as ostree-prepare-root does not. For the same
/// reason the mount path builds its strings with string.Concat rather than interpolating numbers: the
/// interpolation handler rents from ArrayPool, whose first Return registers the thread's buckets in a
/// ConditionalWeakTable, which hashes an object, which seeds a random generator from /dev/urandom.
/// (PrepareRootTests.NeedsNoEntropy holds this in place.)
/// </summary>
internal static class StandardStreams
{
    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Stream Open(int fd) =>
        new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    public static StreamWriter Writer(int fd, bool autoFlush) => new(Open(fd), Utf8) { AutoFlush = autoFlush };
}
