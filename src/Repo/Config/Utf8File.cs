using System.Text;
using Arbor.Repo.Core;

namespace Arbor.Repo.Config;

/// <summary>
/// Reads a text file that must be UTF-8, as ostree's <c>glnx_file_get_contents_utf8_at</c> does for
/// the repository config, <c>.origin</c> files and boot loader entries: invalid bytes are refused
/// with "Invalid UTF-8" (File.ReadAllText would instead honour a UTF-16 byte order mark or replace
/// them). A UTF-8 byte order mark is kept, as GLib keeps it.
/// </summary>
public static class Utf8File
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string ReadAllText(string path) => Decode(File.ReadAllBytes(path));

    public static string Decode(byte[] bytes)
    {
        try { return Strict.GetString(bytes); }
        catch (DecoderFallbackException) { throw new RepoException("Invalid UTF-8"); }
    }
}
