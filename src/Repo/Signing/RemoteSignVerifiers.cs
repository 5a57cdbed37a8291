using Arbor.Repo.Objects;
using Arbor.Repo.Remotes;

namespace Arbor.Repo.Signing;

/// <summary>
/// The sign-API verifiers of one remote option, <c>sign-verify</c> or <c>sign-verify-summary</c>,
/// as ostree 2022.7 builds and applies them (ostree-repo-pull-verify.c): <c>true</c> takes every
/// engine (ed25519, then dummy) with the keys the remote configures, if any; a list of engine
/// names takes those, each of which must have keys (<c>verification-TYPE-key</c> and/or
/// <c>verification-TYPE-file</c>). An ed25519 verifier without configured keys uses the system's
/// trusted keys when it has signatures to check.
/// </summary>
public sealed class RemoteSignVerifiers
{
    private readonly IReadOnlyList<Entry> _entries;

    private RemoteSignVerifiers(IReadOnlyList<Entry> entries) => _entries = entries;

    private sealed record Entry(SignEngine Engine, Lazy<ISignatureVerifier> Verifier)
    {
        /// <summary><c>ostree_sign_data_verify</c>: the engine's own error when it finds none of its signatures.</summary>
        public string Verify(ReadOnlySpan<byte> data, IReadOnlyList<byte[]>? signatures) =>
            signatures is null ? Engine.Verifier([]).Verify(data, null) : Verifier.Value.Verify(data, signatures);
    }

    /// <summary>The verifiers <paramref name="optionKey"/> asks for, or null when it is unset, empty or false.</summary>
    public static RemoteSignVerifiers? For(RemoteStore store, RemoteConfig remote, string optionKey)
    {
        var raw = remote.Get(optionKey);
        if (string.IsNullOrEmpty(raw)) return null;
        switch (raw)
        {
            case "true" or "1":
                return new([.. new[] { SignEngine.Ed25519, SignEngine.Dummy }.Select(e => Load(store, remote, e, required: false))]);
            case "false" or "0":
                return null;
        }
        // ostree reads the list with GKeyFile's ';'; its remote add writes ','
        var names = raw.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new([.. names.Select(n => Load(store, remote, SignEngine.ByName(n), required: true))]);
    }

    /// <summary><c>_signapi_load_public_keys</c>: the remote's keys for one engine, read now (errors included).</summary>
    private static Entry Load(RemoteStore store, RemoteConfig remote, SignEngine engine, bool required)
    {
        var file = remote.VerificationFile(engine.Name);
        var inline = remote.VerificationKey(engine.Name);
        if (file is null && inline is null)
        {
            if (required) throw new SigningException($"No keys found for required signapi type {engine.Name}");
            return new Entry(engine, new(() => engine == SignEngine.Ed25519 ? SystemEd25519(store) : engine.Verifier([])));
        }
        if (file is not null)
        {
            // ostree's message lacks the closing quote
            try { engine.Verifier([], load: true, keysFile: file); }
            catch (Exception e) when (e is SigningException or IOException or UnauthorizedAccessException)
            {
                throw new SigningException($"Failed loading '{engine.Name}' keys from '{file}");
            }
        }
        if (inline is not null)
        {
            try { engine.Verifier([inline]); }
            catch (SigningException) { throw new SigningException($"Failed loading '{engine.Name}' keys from inline `verification-key`"); }
        }
        var verifier = engine.Verifier(inline is null ? [] : [inline], load: file is not null, keysFile: file);
        return new Entry(engine, new(() => verifier));
    }

    /// <summary>ed25519's <c>load_pk</c> without options: the trusted keys (minus the revoked ones) of the system.</summary>
    private static Ed25519Verifier SystemEd25519(RemoteStore store)
    {
        var (trusted, revoked) = Ed25519Keys.LoadSystemKeys([store.SysconfDir, store.DataDir]);
        return new Ed25519Verifier(trusted, revoked);
    }

    /// <summary>
    /// <c>_sign_verify_for_remote</c>, for a commit received in this pull or a summary: engines
    /// without signatures in <paramref name="metadata"/> are passed over; the first valid signature
    /// wins; otherwise the first engine's error, prefixed with the count of the other failures.
    /// </summary>
    /// <returns>The success message.</returns>
    public string Verify(ReadOnlySpan<byte> data, VariantDictionary? metadata)
    {
        SigningException? first = null;
        int invalid = 0;
        foreach (var entry in _entries)
        {
            var signatures = SignatureMetadata.TryGet(metadata, entry.Engine.MetadataKey);
            if (signatures is null) continue;
            try { return entry.Verify(data, signatures); }
            catch (SigningException e)
            {
                invalid++;
                first ??= e;
            }
        }
        if (first is null) throw new SigningException("No signatures found");
        if (invalid > 1) throw new SigningException($"({invalid - 1} other invalid signatures): {first.Message}");
        throw first;
    }

    /// <summary>
    /// The check of a commit already in the repository (<c>ostree_sign_commit_verify</c> with each
    /// engine in turn): the first engine that verifies wins; otherwise the first engine's error,
    /// an engine without signatures included.
    /// </summary>
    public string VerifyStored(ReadOnlySpan<byte> data, VariantDictionary? metadata)
    {
        SigningException? first = null;
        foreach (var entry in _entries)
        {
            try { return entry.Verify(data, SignatureMetadata.TryGet(metadata, entry.Engine.MetadataKey)); }
            catch (SigningException e) { first ??= e; }
        }
        throw first!;
    }
}
