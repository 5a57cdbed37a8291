namespace Arbor.Repo.Signing;

/// <summary>The signature types of ostree's sign API that Arbor implements (see <see cref="SignEngine"/>).</summary>
public static class SignTypes
{
    public const string Ed25519 = "ed25519";
    /// <summary>ostree's test engine; works only with <c>OSTREE_DUMMY_SIGN_ENABLED=1</c>.</summary>
    public const string Dummy = "dummy";


    /// <summary>Throws ostree's error for an unknown <c>--sign-type</c>.</summary>
    public static void Require(string name) => SignEngine.ByName(name);
}
