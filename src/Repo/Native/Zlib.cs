using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>
/// Raw-DEFLATE decompression through the system zlib (own imports), for callers that must know
/// whether the stream really ended: .NET's <see cref="System.IO.Compression.DeflateStream"/> accepts
/// a truncated stream silently, while ostree (GZlibDecompressor) reports "Need more input".
/// </summary>
internal static unsafe partial class Zlib
{
    private const string Library = "libz.so.1";
    private const int Z_NO_FLUSH = 0;
    private const int RawWindowBits = -15;

    // z_stream on LP64; sequential layout reproduces the C padding (112 bytes).
    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public nint Msg;
        public nint State;
        public nint ZAlloc, ZFree, Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    [LibraryImport(Library, EntryPoint = "inflateInit2_")]
    private static partial int InflateInit2(ZStream* strm, int windowBits, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    private static partial int InflateNative(ZStream* strm, int flush);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    private static partial int InflateEnd(ZStream* strm);

    public enum Status
    {
        /// <summary>Progress was made; call again with more input or output space.</summary>
        Ok,
        /// <summary>The final block was decoded: the stream is complete.</summary>
        StreamEnd,
        /// <summary>No progress possible without more input (Z_BUF_ERROR).</summary>
        NeedInput,
        /// <summary>The data is not a valid DEFLATE stream (Z_DATA_ERROR and friends).</summary>
        DataError,
    }

    /// <summary>One raw inflate state. The z_stream lives in native memory: zlib keeps a pointer back to it.</summary>
    public sealed class Inflater : SafeHandle
    {
        public Inflater() : base(IntPtr.Zero, ownsHandle: true)
        {
            var strm = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
            ReadOnlySpan<byte> version = "1.2.11\0"u8;
            int rc;
            fixed (byte* v = version) rc = InflateInit2(strm, RawWindowBits, v, sizeof(ZStream));
            if (rc != 0)
            {
                NativeMemory.Free(strm);
                throw new InvalidOperationException($"zlib inflateInit2 failed ({rc})");
            }
            SetHandle((IntPtr)strm);
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>Decompresses from <paramref name="input"/> into <paramref name="output"/>.</summary>
        public Status Inflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
        {
            var strm = (ZStream*)handle;
            fixed (byte* i = input)
            fixed (byte* o = output)
            {
                strm->NextIn = i;
                strm->AvailIn = (uint)input.Length;
                strm->NextOut = o;
                strm->AvailOut = (uint)output.Length;
                int rc = InflateNative(strm, Z_NO_FLUSH);
                consumed = input.Length - (int)strm->AvailIn;
                produced = output.Length - (int)strm->AvailOut;
                strm->NextIn = null;
                strm->NextOut = null;
                return rc switch
                {
                    0 => Status.Ok,
                    1 => Status.StreamEnd,
                    -5 => Status.NeedInput,
                    _ => Status.DataError,
                };
            }
        }

        protected override bool ReleaseHandle()
        {
            var strm = (ZStream*)handle;
            InflateEnd(strm);
            NativeMemory.Free(strm);
            return true;
        }
    }
}
