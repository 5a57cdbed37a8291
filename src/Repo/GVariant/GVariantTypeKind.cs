namespace Arbor.Repo.GVariant;

public enum GVariantTypeKind : byte
{
    Boolean = (byte)'b',
    Byte = (byte)'y',
    Int16 = (byte)'n',
    UInt16 = (byte)'q',
    Int32 = (byte)'i',
    UInt32 = (byte)'u',
    Handle = (byte)'h',
    Int64 = (byte)'x',
    UInt64 = (byte)'t',
    Double = (byte)'d',
    String = (byte)'s',
    ObjectPath = (byte)'o',
    Signature = (byte)'g',
    Variant = (byte)'v',
    Array = (byte)'a',
    Maybe = (byte)'m',
    Tuple = (byte)'(',
    DictEntry = (byte)'{',
}
