namespace Arbor.Repo.Signing;

/// <summary>The signature types of ostree's sign API that Arbor implements.</summary>
public static class SignTypes
{
    public const string Ed25519 = "ed25519";

    public static bool IsSupported(string name) => name == Ed25519;

    /// <summary>Throws ostree's error for an unknown <c>--sign-type</c>.</summary>
    public static void Require(string name)
    {
        if (!IsSupported(name)) throw new SigningException("Requested signature type is not implemented");
    }
}
