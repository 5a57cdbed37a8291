using System.Security.Cryptography;

namespace Arbor.Repo.Checkout;

/// <summary>Random temporary names (prefix + 6 characters, NUL-terminated), as glnx_gen_temp_name makes them.</summary>
internal static class TempName
{
    public const int MaxLength = 64;
    private const int RandomChars = 6;
    private static ReadOnlySpan<byte> Alphabet => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"u8;

    /// <summary>Writes prefix + random + NUL into <paramref name="buffer"/>; returns the used part.</summary>
    public static Span<byte> Fill(Span<byte> buffer, ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length + RandomChars + 1 > buffer.Length) throw new ArgumentException("prefix too long", nameof(prefix));
        prefix.CopyTo(buffer);
        for (int i = 0; i < RandomChars; i++) buffer[prefix.Length + i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        buffer[prefix.Length + RandomChars] = 0;
        return buffer[..(prefix.Length + RandomChars + 1)];
    }

    public static string Make(string prefix) => prefix + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", RandomChars);
}
