using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>execve: replacing this process with another program, keeping its pid, descriptors and terminal.</summary>
internal static unsafe partial class ProcessImage
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int execve(byte* path, byte** argv, byte** envp);

    /// <summary>
    /// execve(<paramref name="path"/>, <paramref name="argv"/>, this process's environment plus
    /// <paramref name="extraEnvironment"/>), running <paramref name="justBefore"/> on the same thread right before
    /// (thread-bound state such as a new mount namespace survives into the new image). Returns only by throwing.
    /// </summary>
    public static void Replace(string path, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? extraEnvironment = null,
        Action? justBefore = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = (string?)e.Value ?? "";
        if (extraEnvironment is not null)
            foreach (var (k, v) in extraEnvironment) env[k] = v;
        var strings = new List<nint>();
        try
        {
            nint Alloc(string s) { var p = Marshal.StringToCoTaskMemUTF8(s); strings.Add(p); return p; }
            var file = Alloc(path);
            var args = new nint[argv.Count + 1];
            for (int i = 0; i < argv.Count; i++) args[i] = Alloc(argv[i]);
            var envp = new nint[env.Count + 1];
            int j = 0;
            foreach (var (k, v) in env) envp[j++] = Alloc($"{k}={v}");
            justBefore?.Invoke();
            fixed (nint* a = args)
            fixed (nint* e = envp)
                execve((byte*)file, (byte**)a, (byte**)e);
            throw Errno.Error("execve", path, Marshal.GetLastPInvokeError());
        }
        finally
        {
            foreach (var p in strings) Marshal.FreeCoTaskMem(p);
        }
    }
}
