using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.Repo.StaticDelta;

/// <summary>Where an executing part reads FROM objects and writes the objects it re-creates. Writers
/// verify each object against its checksum before storing it.</summary>
public interface IDeltaObjectStore
{
    bool HasObject(ObjectName name);
    /// <summary>Verifies and stores a metadata object re-created by a part.</summary>
    void WriteMetadata(ObjectName name, byte[] bytes);
    /// <summary>Verifies and stores a content object; <paramref name="content"/> is empty for symlinks.</summary>
    void WriteContent(Checksum expected, FileHeader header, byte[] content);
    /// <summary>The content of a regular FILE object already in the repository (a read source).</summary>
    byte[] ReadContent(Checksum checksum);
}

/// <summary>
/// Runs the opcode stream of a part (ostree's <c>_ostree_static_delta_part_execute</c>), re-creating
/// its objects in order: <c>S</c> open-splice-and-close (a whole object from the blob), <c>o</c> open
/// (a content object of a given size, mode and xattrs), <c>w</c> write (from the blob, or from the
/// read source when one is set), <c>r</c>/<c>R</c> set/unset the read source (a FROM object named
/// by 32 checksum bytes in the blob), <c>B</c> bspatch (the read source patched into the whole new
/// content), <c>c</c> close. Objects already present are skipped (their opcodes still consumed).
/// </summary>
public static class DeltaPartExecutor
{
    /// <summary>Executes <paramref name="part"/>; returns the number of objects written.</summary>
    /// <param name="counts">When given, counts the opcodes executed (as <c>static-delta show</c> prints them).</param>
    public static int Execute(DeltaPart part, IReadOnlyList<ObjectName> objects, IDeltaObjectStore store, CancellationToken ct, DeltaOpCounts? counts = null)
    {
        if (objects.Count == 0) return 0;
        var state = new State(part, objects, store);
        var ops = part.Operations;
        int pos = 0, executed = 0;
        while (pos < ops.Length)
        {
            ct.ThrowIfCancellationRequested();
            byte op = ops[pos++];
            switch (op)
            {
                case (byte)'S': state.OpenSpliceAndClose(ops, ref pos); break;
                case (byte)'o': state.Open(ops, ref pos); break;
                case (byte)'w': state.Write(ops, ref pos); break;
                case (byte)'r': state.SetReadSource(ops, ref pos); break;
                case (byte)'R': state.UnsetReadSource(); break;
                case (byte)'c': state.Close(); break;
                case (byte)'B': state.BsPatch(ops, ref pos); break;
                default: throw new StaticDeltaException($"Unknown opcode {op} at offset {executed}");
            }
            counts?.Add(op);
            executed++;
        }
        return state.Written;
    }

    /// <summary>Counts ops without writing anything: every object counts as present, so only the opcode stream and its operands are checked.</summary>
    public static DeltaOpCounts Count(DeltaPart part, IReadOnlyList<ObjectName> objects)
    {
        var counts = new DeltaOpCounts();
        Execute(part, objects, new PresentStore(), CancellationToken.None, counts);
        return counts;
    }

    private sealed class PresentStore : IDeltaObjectStore
    {
        public bool HasObject(ObjectName name) => true;
        public void WriteMetadata(ObjectName name, byte[] bytes) => throw new InvalidOperationException("nothing is written when counting");
        public void WriteContent(Checksum expected, FileHeader header, byte[] content) => throw new InvalidOperationException("nothing is written when counting");
        public byte[] ReadContent(Checksum checksum) => throw new InvalidOperationException("nothing is read when counting");
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> ops, ref int pos) =>
        Varint.TryRead(ops, ref pos, out ulong value) ? value : throw new StaticDeltaException("Unexpected EOF reading varint");

    private sealed class State(DeltaPart part, IReadOnlyList<ObjectName> objects, IDeltaObjectStore store)
    {
        private int _index;
        private ObjectName? _target;
        private bool _have;
        private FileHeader? _header;
        private byte[]? _content;
        private long _written;
        private Checksum? _sourceName;
        private byte[]? _source;
        public int Written;

        private ObjectName OpenTarget(string opcode)
        {
            if (_target is not null) throw new StaticDeltaException($"opcode {opcode}: an object is already open");
            if (_index >= objects.Count) throw new StaticDeltaException($"opcode {opcode}: more objects than the part lists ({objects.Count})");
            var t = objects[_index];
            _target = t;
            return t;
        }

        private ReadOnlySpan<byte> Blob(ulong offset, ulong length)
        {
            var p = part.Payload;
            if (offset + length < offset || offset + length > (ulong)p.Length)
                throw new StaticDeltaException($"Invalid offset/length {offset}/{length}");
            return p.Slice((int)offset, (int)length);
        }

        private FileHeader ReadHeader(ReadOnlySpan<byte> ops, ref int pos, string opcode, string symlinkTarget)
        {
            ulong modeIndex = ReadVarint(ops, ref pos), xattrIndex = ReadVarint(ops, ref pos);
            if (modeIndex >= (ulong)part.Modes.Count || xattrIndex >= (ulong)part.Xattrs.Count)
                throw new StaticDeltaException($"opcode {opcode}: invalid mode/xattr index {modeIndex}/{xattrIndex}");
            var (uid, gid, mode) = part.Modes[(int)modeIndex];
            return new FileHeader(uid, gid, mode, symlinkTarget, part.Xattrs[(int)xattrIndex]);
        }

        public void OpenSpliceAndClose(ReadOnlySpan<byte> ops, ref int pos)
        {
            var target = OpenTarget("open-splice-and-close");
            try
            {
                if (target.Type != ObjectType.File)
                {
                    ulong length = ReadVarint(ops, ref pos), offset = ReadVarint(ops, ref pos);
                    var bytes = Blob(offset, length);
                    if (!store.HasObject(target))
                    {
                        store.WriteMetadata(target, bytes.ToArray());
                        Written++;
                    }
                }
                else
                {
                    var header = ReadHeader(ops, ref pos, "open-splice-and-close", "");
                    ulong size = ReadVarint(ops, ref pos), offset = ReadVarint(ops, ref pos);
                    var content = Blob(offset, size);
                    if (!store.HasObject(target))
                    {
                        if (ObjectFormats.IsSymlink(header.Mode))
                        {
                            int nul = content.IndexOf((byte)0);
                            var linkTarget = Encoding.UTF8.GetString(nul < 0 ? content : content[..nul]);
                            store.WriteContent(target.Checksum, header with { SymlinkTarget = linkTarget }, []);
                        }
                        else
                        {
                            store.WriteContent(target.Checksum, header, content.ToArray());
                        }
                        Written++;
                    }
                }
            }
            catch (StaticDeltaException e) { throw new StaticDeltaException("opcode open-splice-and-close: " + e.Message); }
            Close();
        }

        public void Open(ReadOnlySpan<byte> ops, ref int pos)
        {
            var target = OpenTarget("open");
            if (target.Type != ObjectType.File) throw new StaticDeltaException($"opcode open: {target} is not a content object");
            var header = ReadHeader(ops, ref pos, "open", "");
            ulong size = ReadVarint(ops, ref pos);
            if (!ObjectFormats.IsRegular(header.Mode)) throw new StaticDeltaException($"opcode open: {target} is not a regular file");
            _have = store.HasObject(target);
            if (_have) return;
            if (size > (ulong)Array.MaxLength) throw new StaticDeltaException($"opcode open: content of {target} too large ({size} bytes)");
            _header = header;
            _content = new byte[size];
            _written = 0;
        }

        private Span<byte> Output(ulong length, string opcode)
        {
            if (_target is null || (_content is null && !_have)) throw new StaticDeltaException($"opcode {opcode}: no object is open");
            if (_content is null) return default;
            if ((ulong)(_content.Length - _written) < length)
                throw new StaticDeltaException($"opcode {opcode}: writes past the end of {_target} ({_content.Length} bytes)");
            var s = _content.AsSpan((int)_written, (int)length);
            _written += (long)length;
            return s;
        }

        public void Write(ReadOnlySpan<byte> ops, ref int pos)
        {
            ulong size = ReadVarint(ops, ref pos), offset = ReadVarint(ops, ref pos);
            if (_have) return;
            if (_sourceName is { } src)
            {
                var source = Source();
                if (offset + size < offset || offset + size > (ulong)source.Length)
                    throw new StaticDeltaException($"opcode write: Unexpected EOF reading object {src}");
                source.AsSpan((int)offset, (int)size).CopyTo(Output(size, "write"));
            }
            else
            {
                Blob(offset, size).CopyTo(Output(size, "write"));
            }
        }

        private byte[] Source() => _source ??= store.ReadContent(_sourceName!.Value);

        public void SetReadSource(ReadOnlySpan<byte> ops, ref int pos)
        {
            ulong offset = ReadVarint(ops, ref pos);
            _sourceName = Checksum.FromBytes(Blob(offset, 32));
            _source = null;
        }

        public void UnsetReadSource()
        {
            _sourceName = null;
            _source = null;
        }

        public void BsPatch(ReadOnlySpan<byte> ops, ref int pos)
        {
            ulong offset = ReadVarint(ops, ref pos), length = ReadVarint(ops, ref pos);
            var patch = Blob(offset, length);
            if (_have) return;
            if (_sourceName is null) throw new StaticDeltaException("opcode bspatch: no read source");
            var output = Output((ulong)(_content?.Length ?? 0) - (ulong)_written, "bspatch");
            StaticDelta.BsPatch.Apply(Source(), output, patch);
        }

        public void Close()
        {
            if (_content is not null)
            {
                if (_written != _content.Length)
                    throw new StaticDeltaException($"opcode close: {_target} has {_written} of its {_content.Length} bytes");
                store.WriteContent(_target!.Value.Checksum, _header!, _content);
                Written++;
            }
            UnsetReadSource();
            _content = null;
            _header = null;
            _have = false;
            _target = null;
            _index++;
        }
    }
}
