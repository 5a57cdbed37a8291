using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>
/// xz for static delta parts through the system liblzma (own imports; the library ostree itself
/// uses): compression as ostree does it (<c>lzma_easy_encoder</c>, CRC64 check), and decompression
/// about twice as fast as a managed LZMA decoder, which matters for from-scratch deltas of a whole
/// OS tree.
/// </summary>
internal static unsafe partial class Lzma
{
    private const string Library = "liblzma.so.5";
    private const int LZMA_RUN = 0, LZMA_FINISH = 3;
    private const int LZMA_OK = 0, LZMA_STREAM_END = 1, LZMA_BUF_ERROR = 10;
    private const uint LZMA_CHECK_CRC64 = 4;
    private const int OutputChunk = 64 * 1024;

    // lzma_stream on LP64 (liblzma 5.x, 136 bytes); LZMA_STREAM_INIT is all zeros.
    [StructLayout(LayoutKind.Sequential)]
    private struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public nint Allocator;
        public nint Internal;
        public nint Reserved1, Reserved2, Reserved3, Reserved4;
        public ulong SeekPos, ReservedInt2;
        public nuint ReservedInt3, ReservedInt4;
        public int ReservedEnum1, ReservedEnum2;
    }

    [LibraryImport(Library, EntryPoint = "lzma_stream_decoder")]
    private static partial int StreamDecoder(LzmaStream* strm, ulong memlimit, uint flags);

    [LibraryImport(Library, EntryPoint = "lzma_easy_encoder")]
    private static partial int EasyEncoder(LzmaStream* strm, uint preset, uint check);

    [LibraryImport(Library, EntryPoint = "lzma_code")]
    private static partial int Code(LzmaStream* strm, int action);

    [LibraryImport(Library, EntryPoint = "lzma_end")]
    private static partial void End(LzmaStream* strm);

    /// <summary>
    /// Decompresses the single .xz stream in <paramref name="input"/> into one array, starting at
    /// <paramref name="sizeHint"/> bytes (the size the caller expects) and growing up to the largest
    /// array. Throws <see cref="InvalidDataException"/> on corrupt, truncated or oversized data.
    /// </summary>
    public static byte[] DecompressXz(ReadOnlySpan<byte> input, long sizeHint)
    {
        int maxOutput = Array.MaxLength;
        var strm = new LzmaStream();
        int rc = StreamDecoder(&strm, ulong.MaxValue, 0);
        if (rc != LZMA_OK) throw new InvalidDataException($"lzma_stream_decoder failed ({rc})");
        try
        {
            // a hint from the sender is trusted only so far: a huge (or byte-swapped) one starts at 64 MiB and grows
            var output = new byte[Math.Clamp(sizeHint, 4096, 64 << 20)];
            int produced = 0;
            fixed (byte* i = input)
            {
                strm.NextIn = i;
                strm.AvailIn = (nuint)input.Length;
                byte overflow;
                while (true)
                {
                    if (produced == output.Length && output.Length < maxOutput)
                        Array.Resize(ref output, (int)Math.Min((long)maxOutput, (long)output.Length * 2));
                    if (produced == output.Length)
                    {
                        // full at the expected size: the stream must end without another byte
                        strm.NextOut = &overflow;
                        strm.AvailOut = 1;
                        rc = Code(&strm, LZMA_FINISH);
                        strm.NextOut = null;
                        if (strm.AvailOut == 0) throw new InvalidDataException($"decompressed data exceeds {maxOutput} bytes");
                    }
                    else
                    {
                        fixed (byte* o = output)
                        {
                            strm.NextOut = o + produced;
                            strm.AvailOut = (nuint)(output.Length - produced);
                            rc = Code(&strm, LZMA_FINISH);
                            produced = output.Length - (int)strm.AvailOut;
                            strm.NextOut = null;
                        }
                    }
                    if (rc == LZMA_STREAM_END) break;
                    if (rc == LZMA_BUF_ERROR) throw new InvalidDataException("truncated xz data");
                    if (rc != LZMA_OK) throw new InvalidDataException(Describe(rc));
                }
                if (strm.AvailIn != 0) throw new InvalidDataException("trailing data after the xz stream");
            }
            if (produced != output.Length) Array.Resize(ref output, produced);
            return output;
        }
        finally { End(&strm); }
    }

    private static string Describe(int rc) => rc switch
    {
        5 => "out of memory",
        7 => "not in the xz format",
        8 => "unsupported xz options",
        9 => "corrupt xz data",
        _ => $"liblzma error {rc}",
    };

    /// <summary>
    /// Compresses the concatenation of <paramref name="inputs"/> into one xz stream (CRC64 check)
    /// written to <paramref name="output"/>, without joining them first.
    /// </summary>
    /// <param name="preset">The xz preset, 0-9 (ostree uses 8).</param>
    public static void CompressXz(IEnumerable<ReadOnlyMemory<byte>> inputs, uint preset, Stream output)
    {
        var strm = StartEncoder(preset);
        var buffer = new byte[OutputChunk];
        try
        {
            foreach (var input in inputs) Feed(strm, input.Span, LZMA_RUN, buffer, output);
            Feed(strm, [], LZMA_FINISH, buffer, output);
        }
        finally { EndEncoder(strm); }
    }

    private static LzmaStream* StartEncoder(uint preset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preset, 9u);
        var strm = (LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(LzmaStream));
        int rc = EasyEncoder(strm, preset, LZMA_CHECK_CRC64);
        if (rc != LZMA_OK)
        {
            NativeMemory.Free(strm);
            throw new InvalidOperationException($"lzma_easy_encoder failed ({rc})");
        }
        return strm;
    }

    private static void EndEncoder(LzmaStream* strm)
    {
        End(strm);
        NativeMemory.Free(strm);
    }

    /// <summary>
    /// Runs the encoder over <paramref name="input"/>: with <c>LZMA_RUN</c> until it has taken all of
    /// it, with <c>LZMA_FINISH</c> until the stream is complete; output goes to <paramref name="output"/>.
    /// </summary>
    private static void Feed(LzmaStream* strm, ReadOnlySpan<byte> input, int action, byte[] buffer, Stream output)
    {
        // nothing to take: liblzma answers a second call without progress with LZMA_BUF_ERROR
        if (action == LZMA_RUN && input.IsEmpty) return;
        fixed (byte* i = input)
        fixed (byte* o = buffer)
        {
            strm->NextIn = i;
            strm->AvailIn = (nuint)input.Length;
            try
            {
                while (true)
                {
                    strm->NextOut = o;
                    strm->AvailOut = (nuint)buffer.Length;
                    int rc = Code(strm, action);
                    int produced = buffer.Length - (int)strm->AvailOut;
                    if (produced > 0) output.Write(buffer, 0, produced);
                    if (rc == LZMA_STREAM_END) return;
                    if (rc != LZMA_OK) throw new InvalidOperationException($"lzma_code failed ({rc})");
                    if (action == LZMA_RUN && strm->AvailIn == 0) return;
                }
            }
            finally
            {
                strm->NextIn = null;
                strm->NextOut = null;
            }
        }
    }
}
