using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>
/// xz compression through the system liblzma (own imports): SharpCompress reads xz but cannot write
/// it. Used for static delta parts, which ostree compresses with <c>lzma_easy_encoder</c> and a
/// CRC64 check.
/// </summary>
internal static unsafe partial class Lzma
{
    private const string Library = "liblzma.so.5";
    private const uint CheckCrc64 = 4;
    private const int ActionFinish = 3;
    private const int RetOk = 0, RetStreamEnd = 1;
    private const int OutputChunk = 64 * 1024;

    // lzma_stream on LP64 (liblzma 5.x): 136 bytes, all zero is LZMA_STREAM_INIT.
    [StructLayout(LayoutKind.Sequential)]
    private struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public nint Allocator, Internal;
        public nint Reserved1, Reserved2, Reserved3, Reserved4;
        public ulong SeekPos, ReservedInt2;
        public nuint ReservedInt3, ReservedInt4;
        public int ReservedEnum1, ReservedEnum2;
    }

    [LibraryImport(Library, EntryPoint = "lzma_easy_encoder")]
    private static partial int EasyEncoder(LzmaStream* strm, uint preset, uint check);

    [LibraryImport(Library, EntryPoint = "lzma_code")]
    private static partial int Code(LzmaStream* strm, int action);

    [LibraryImport(Library, EntryPoint = "lzma_end")]
    private static partial void End(LzmaStream* strm);

    /// <summary>Compresses <paramref name="input"/> into one xz stream (CRC64 check) written to <paramref name="output"/>.</summary>
    /// <param name="preset">The xz preset, 0-9 (ostree uses 8).</param>
    public static void CompressXz(ReadOnlySpan<byte> input, uint preset, Stream output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preset, 9u);
        var strm = (LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(LzmaStream));
        var buffer = new byte[OutputChunk];
        try
        {
            int rc = EasyEncoder(strm, preset, CheckCrc64);
            if (rc != RetOk) throw new InvalidOperationException($"lzma_easy_encoder failed ({rc})");
            fixed (byte* i = input)
            fixed (byte* o = buffer)
            {
                strm->NextIn = i;
                strm->AvailIn = (nuint)input.Length;
                while (true)
                {
                    strm->NextOut = o;
                    strm->AvailOut = (nuint)buffer.Length;
                    rc = Code(strm, ActionFinish);
                    int produced = buffer.Length - (int)strm->AvailOut;
                    if (produced > 0) output.Write(buffer, 0, produced);
                    if (rc == RetStreamEnd) break;
                    if (rc != RetOk) throw new InvalidOperationException($"lzma_code failed ({rc})");
                }
                strm->NextIn = null;
                strm->NextOut = null;
            }
        }
        finally
        {
            End(strm);
            NativeMemory.Free(strm);
        }
    }
}
