using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Arbor.Repo.Signing;

/// <summary>
/// <c>remote gpg-import</c> / <c>remote add --gpg-import</c> (ostree_repo_remote_gpg_import): reads
/// public keys (binary or ASCII-armoured) from the sources, one after the other as one stream, keeps the ones the KEY-IDs name (all
/// without any), and merges them into the remote's keyring <c>REPO/NAME.trustedkeys.gpg</c>, a binary
/// keyring as <c>gpg --export</c> writes it. Keys already present are updated, not added twice. Data that
/// holds no key is not an error by itself, as for gpg; having nothing to import is, with gpgme's
/// "No data". Errors start with "GPG: ", as ostree's.
/// </summary>
public static class GpgKeyringImport
{
    /// <returns>The number of keys added.</returns>
    public static int Import(RemoteStore store, string remoteName, IEnumerable<byte[]> keyData, IReadOnlyList<string>? keyIds = null)
    {
        try
        {
            store.Get(remoteName);
        }
        catch (RepoException e)
        {
            throw new SigningException("GPG: " + e.Message);
        }
        // the sources are read as one stream, as ostree chains its --keyring files: after an
        // armoured block, what follows is not read; after binary keys, an armoured file is not
        var source = new List<PgpPublicKeyRing>();
        using (var stream = new MemoryStream())
        {
            foreach (var data in keyData) stream.Write(data);
            AddNew(source, Read(stream.ToArray()));
        }
        var selected = keyIds is { Count: > 0 } ? keyIds.Select(id => GpgKeySelector.Find(source, id)).ToList() : source;
        if (selected.Count == 0) throw new SigningException("GPG: Unable to export keys: GPGME: No data");

        var path = store.Repository.FullPath(remoteName + ".trustedkeys.gpg");
        var rings = File.Exists(path) ? Read(File.ReadAllBytes(path)) : [];
        int added = Merge(rings, selected);
        using var ms = new MemoryStream();
        foreach (var r in rings) r.Encode(ms);
        AtomicFile.WriteAllBytes(path, ms.ToArray(), 0x1A4, store.Repository.Config.Fsync);
        return added;
    }

    /// <summary>
    /// Appends the rings whose primary key <paramref name="into"/> lacks, and merges the new user
    /// IDs, subkeys and signatures (a new expiry, a revocation) of the others into the stored ring,
    /// as gpg's import updates a key it has; returns how many rings were appended (gpgme's
    /// <c>imported</c> count, which an update leaves alone).
    /// </summary>
    private static int Merge(List<PgpPublicKeyRing> into, IEnumerable<PgpPublicKeyRing> rings)
    {
        int added = 0;
        foreach (var ring in rings)
        {
            var fpr = ring.GetPublicKey().GetFingerprint();
            int at = into.FindIndex(r => r.GetPublicKey().GetFingerprint().AsSpan().SequenceEqual(fpr));
            if (at >= 0)
            {
                into[at] = PgpPublicKeyRing.Join(into[at], ring);
                continue;
            }
            into.Add(ring);
            added++;
        }
        return added;
    }

    /// <summary>Appends the rings whose primary key <paramref name="into"/> lacks; returns how many.</summary>
    private static int AddNew(List<PgpPublicKeyRing> into, IEnumerable<PgpPublicKeyRing> rings)
    {
        int added = 0;
        foreach (var ring in rings)
        {
            var fpr = ring.GetPublicKey().GetFingerprint();
            if (into.Any(r => r.GetPublicKey().GetFingerprint().AsSpan().SequenceEqual(fpr))) continue;
            into.Add(ring);
            added++;
        }
        return added;
    }

    /// <summary>
    /// The public keys in <paramref name="data"/>, as gpg's import finds them in one stream: from
    /// data that starts armoured, every armoured block (whatever lies between or after is skipped);
    /// from binary data, the keys up to the first thing that is not OpenPGP (the key it interrupts
    /// is dropped).
    /// </summary>
    private static List<PgpPublicKeyRing> Read(byte[] data)
    {
        var text = System.Text.Encoding.Latin1.GetString(data);
        const string Begin = "-----BEGIN PGP ", End = "-----END PGP ";
        if (!text.TrimStart().StartsWith(Begin, StringComparison.Ordinal)) return ReadBinary(data);
        var rings = new List<PgpPublicKeyRing>();
        for (int at = text.IndexOf(Begin, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Begin, at, StringComparison.Ordinal))
        {
            int end = text.IndexOf(End, at, StringComparison.Ordinal);
            if (end < 0) break;
            int eol = text.IndexOf('\n', end);
            int stop = eol < 0 ? text.Length : eol + 1;
            try
            {
                using var armored = new ArmoredInputStream(new MemoryStream(data[at..stop]));
                rings.AddRange(ReadBinary(ReadAll(armored)));
            }
            catch (IOException)
            {
                // a damaged block is skipped
            }
            at = stop;
        }
        return rings;
    }

    /// <summary>Binary keys up to the end, or up to the first thing that is not OpenPGP, which drops the key it follows.</summary>
    private static List<PgpPublicKeyRing> ReadBinary(byte[] data)
    {
        int valid = PacketStreamLength(data);
        var v = new List<PgpPublicKeyRing>();
        try
        {
            var factory = new PgpObjectFactory(new MemoryStream(data, 0, valid));
            object? o;
            while ((o = factory.NextPgpObject()) is not null)
                if (o is PgpPublicKeyRing ring) v.Add(ring);
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidOperationException)
        {
            return v;
        }
        if (valid < data.Length && v.Count > 0) v.RemoveAt(v.Count - 1);
        return v;
    }

    /// <summary>How many leading bytes of <paramref name="data"/> are whole OpenPGP packets (RFC 4880 §4.2 headers).</summary>
    private static int PacketStreamLength(byte[] data)
    {
        int at = 0;
        while (at < data.Length)
        {
            int tag = data[at];
            if ((tag & 0x80) == 0) return at;
            long header, body;
            if ((tag & 0x40) != 0)
            {
                if (at + 1 >= data.Length) return at;
                int l1 = data[at + 1];
                if (l1 < 192) (header, body) = (2, l1);
                else if (l1 < 224) (header, body) = at + 2 < data.Length ? (3, ((l1 - 192) << 8) + data[at + 2] + 192) : (0, -1);
                else if (l1 == 255) (header, body) = at + 5 < data.Length ? (6, (long)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at + 2))) : (0, -1);
                else return at; // partial lengths: not in keyrings
            }
            else
            {
                int type = tag & 3;
                if (type == 3) return data.Length;
                int n = 1 << type;
                if (at + n >= data.Length) return at;
                body = 0;
                for (int i = 0; i < n; i++) body = (body << 8) | data[at + 1 + i];
                header = 1 + n;
            }
            if (body < 0 || at + header + body > data.Length) return at;
            at += (int)(header + body);
        }
        return at;
    }

    private static byte[] ReadAll(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
