namespace Arbor.Repo.Core;

/// <summary>An object's identity: its checksum and its type.</summary>
public readonly record struct ObjectName(Checksum Checksum, ObjectType Type)
{
    public override string ToString() => $"{Checksum}.{Type.Extension()}";
}
