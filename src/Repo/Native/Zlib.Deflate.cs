using System.Runtime.InteropServices;

namespace Arbor.Repo.Native;

/// <summary>
/// Raw-DEFLATE compression through the system zlib, for output byte-identical to ostree's
/// (GZlibCompressor, RAW format: window bits -15, memory level 8, the default strategy): .NET's own
/// compressor (zlib-ng) makes different, equally valid, streams, so the compressed sizes differ.
/// </summary>
internal static unsafe partial class Zlib
{
    private const int Z_FINISH = 4, Z_DEFLATED = 8, MemLevel = 8, Z_DEFAULT_STRATEGY = 0;

    [LibraryImport(Library, EntryPoint = "deflateInit2_")]
    private static partial int DeflateInit2(ZStream* strm, int level, int method, int windowBits, int memLevel, int strategy, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "deflate")]
    private static partial int DeflateNative(ZStream* strm, int flush);

    [LibraryImport(Library, EntryPoint = "deflateReset")]
    private static partial int DeflateReset(ZStream* strm);

    [LibraryImport(Library, EntryPoint = "deflateEnd")]
    private static partial int DeflateEnd(ZStream* strm);

    /// <summary>
    /// One raw deflate state, in native memory like <see cref="Inflater"/>'s. Its set-up (zlib's
    /// 270 KB of window and hash tables, the 64 KB output buffer) costs more than compressing a small
    /// file: <see cref="Rent"/> and <see cref="Return"/> reuse states, reset between streams.
    /// </summary>
    public sealed class Deflater : SafeHandle
    {
        private const int OutputChunk = 64 * 1024;
        private static readonly System.Collections.Concurrent.ConcurrentBag<Deflater> Pool = [];
        private static readonly int PoolLimit = 2 * Environment.ProcessorCount;
        private readonly byte[] _out = new byte[OutputChunk];

        public int Level { get; }

        /// <summary>A deflater for a new stream at <paramref name="level"/>: a reset one from the pool, or a new one.</summary>
        public static Deflater Rent(int level)
        {
            while (Pool.TryTake(out var d))
            {
                if (d.Level == level) return d;
                d.Dispose();
            }
            return new Deflater(level);
        }

        /// <summary>Resets this deflater for another stream and pools it (or frees it when the pool is full or the reset fails).</summary>
        public void Return()
        {
            if (IsClosed || DeflateReset((ZStream*)handle) != 0 || Pool.Count >= PoolLimit) Dispose();
            else Pool.Add(this);
        }

        public Deflater(int level) : base(IntPtr.Zero, ownsHandle: true)
        {
            Level = level;
            var strm = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
            ReadOnlySpan<byte> version = "1.2.11\0"u8;
            int rc;
            fixed (byte* v = version) rc = DeflateInit2(strm, level, Z_DEFLATED, RawWindowBits, MemLevel, Z_DEFAULT_STRATEGY, v, sizeof(ZStream));
            if (rc != 0)
            {
                NativeMemory.Free(strm);
                throw new InvalidOperationException($"zlib deflateInit2 failed ({rc})");
            }
            SetHandle((IntPtr)strm);
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>Compresses <paramref name="input"/>, writing what zlib emits to <paramref name="output"/>.</summary>
        public void Write(ReadOnlySpan<byte> input, Stream output) => Run(input, Z_NO_FLUSH, output);

        /// <summary>Ends the stream (an empty input still gets its final empty block).</summary>
        public void Finish(Stream output) => Run(ReadOnlySpan<byte>.Empty, Z_FINISH, output);

        private void Run(ReadOnlySpan<byte> input, int flush, Stream output)
        {
            var strm = (ZStream*)handle;
            fixed (byte* i = input)
            fixed (byte* o = _out)
            {
                strm->NextIn = i;
                strm->AvailIn = (uint)input.Length;
                while (true)
                {
                    strm->NextOut = o;
                    strm->AvailOut = OutputChunk;
                    int rc = DeflateNative(strm, flush);
                    if (rc is not (0 or 1 or -5)) throw new InvalidOperationException($"zlib deflate failed ({rc})");
                    int produced = OutputChunk - (int)strm->AvailOut;
                    if (produced > 0) output.Write(_out, 0, produced);
                    // done: everything consumed with room left (no pending output), or the end written
                    if (flush == Z_FINISH ? rc == 1 : strm->AvailIn == 0 && strm->AvailOut != 0) break;
                }
                strm->NextIn = null;
                strm->NextOut = null;
            }
        }

        protected override bool ReleaseHandle()
        {
            var strm = (ZStream*)handle;
            DeflateEnd(strm);
            NativeMemory.Free(strm);
            return true;
        }
    }
}
