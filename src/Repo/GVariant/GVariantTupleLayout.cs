using System.Collections.Concurrent;

namespace Arbor.Repo.GVariant;

/// <summary>How a tuple member ends: at a fixed size, at the start of the offset table, or at a framing offset.</summary>
internal enum MemberEnding : byte { Fixed, Last, Offset }

/// <summary>
/// GLib's <c>GVariantMemberInfo</c> for one tuple (or dict entry) member: the member starts at
/// <c>((O(I) + A) &amp; B) | C</c>, where O(I) is the end given by framing offset I counted from the
/// end of the tuple (0 when I is -1, ulong.MaxValue here). Computed as gvarianttypeinfo.c's
/// <c>tuple_generate_table</c> does, so that garbage offsets give the same starts as in GLib.
/// </summary>
internal readonly record struct TupleMember(GVariantType Type, MemberEnding Ending, ulong I, ulong A, ulong B, ulong C)
{
    private static readonly ConcurrentDictionary<GVariantType, TupleMember[]> Tables = new();

    /// <summary>The members of a tuple or dict entry type, in order.</summary>
    public static TupleMember[] Of(GVariantType tuple) => Tables.GetOrAdd(tuple, Generate);

    private static TupleMember[] Generate(GVariantType tuple)
    {
        var members = tuple.Children;
        var table = new TupleMember[members.Count];
        // 'b' and 'd' are alignments in GLib's one-less form
        ulong i = ulong.MaxValue, a = 0, b = 0, c = 0;
        for (int k = 0; k < members.Count; k++)
        {
            var m = members[k];
            ulong d = (ulong)m.Alignment - 1, e = (ulong)m.FixedSize;
            if (d <= b) c = Align(c, d);
            else { a += Align(c, b); b = d; c = 0; }

            // tuple_table_append: whole multiples of the alignment move from c into a
            ulong ta = a + (~b & c), tc = c & b;
            var ending = m.IsFixedSize ? MemberEnding.Fixed : k == members.Count - 1 ? MemberEnding.Last : MemberEnding.Offset;
            table[k] = new TupleMember(m, ending, i, ta + b, ~b, tc);

            if (e == 0) { i++; a = b = c = 0; }
            else c += e;
        }
        return table;
    }

    private static ulong Align(ulong offset, ulong alignment) => offset + (unchecked(0 - offset) & alignment);
}
