namespace Arbor.Repo.StaticDelta;

/// <summary>How many of each opcode a part executed, in the order <c>static-delta show</c> prints them.</summary>
public sealed class DeltaOpCounts
{
    public int OpenSpliceAndClose { get; private set; }
    public int Open { get; private set; }
    public int Write { get; private set; }
    public int SetRead { get; private set; }
    public int UnsetRead { get; private set; }
    public int Close { get; private set; }
    public int BsPatch { get; private set; }

    internal void Add(byte op)
    {
        switch (op)
        {
            case (byte)'S': OpenSpliceAndClose++; break;
            case (byte)'o': Open++; break;
            case (byte)'w': Write++; break;
            case (byte)'r': SetRead++; break;
            case (byte)'R': UnsetRead++; break;
            case (byte)'c': Close++; break;
            case (byte)'B': BsPatch++; break;
        }
    }
}
