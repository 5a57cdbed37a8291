using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>An xattr list as the <c>a(ayay)</c> GVariant value ostree prints (<c>ls -X</c>, <c>show</c>): names NUL-terminated.</summary>
public static class XattrValue
{
    public static GVariantValue ToValue(XattrList xattrs) =>
        GVariantValue.Array(ObjectFormats.Xattrs, xattrs.Items.Select(x =>
            GVariantValue.Tuple(GVariantValue.Bytes([.. x.Name, 0]), GVariantValue.Bytes(x.Value))));
}
