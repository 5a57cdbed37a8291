using System.Text.Json;
using Arbor.Deploy.Status;

namespace Arbor.Cli.Output;

/// <summary>
/// <c>admin status --json</c>: the schema documented in docs/admin-status-json.md, written with
/// Utf8JsonWriter (no reflection, AOT-safe). Keys are stable; absent values are null.
/// </summary>
public static class StatusJsonRenderer
{
    public const int SchemaVersion = 1;

    public static void Render(TextWriter w, SysrootStatus status)
    {
        using var buffer = new MemoryStream();
        using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteNumber("schema", SchemaVersion);
            j.WriteNumber("bootversion", status.BootVersion);
            j.WriteNumber("subbootversion", status.SubBootVersion);
            j.WriteBoolean("booted", status.IsBooted);
            j.WriteStartArray("deployments");
            foreach (var d in status.Deployments) WriteDeployment(j, d);
            j.WriteEndArray();
            j.WriteEndObject();
        }
        w.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        w.Write('\n');
    }

    private static void WriteDeployment(Utf8JsonWriter j, DeploymentStatus d)
    {
        j.WriteStartObject();
        j.WriteNumber("index", d.Index);
        j.WriteString("stateroot", d.Stateroot);
        j.WriteString("checksum", d.Commit.ToString());
        j.WriteNumber("serial", d.DeploySerial);
        j.WriteBoolean("booted", d.Booted);
        j.WriteBoolean("pending", d.Pending);
        j.WriteBoolean("rollback", d.Rollback);
        j.WriteBoolean("staged", d.Staged);
        j.WriteBoolean("pinned", d.Pinned);
        j.WriteString("unlocked", d.Unlocked.ToString().ToLowerInvariant());
        WriteNullable(j, "version", d.Version);
        WriteNullable(j, "subject", d.Subject);
        if (d.Timestamp is { } t) j.WriteString("timestamp", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        else j.WriteNull("timestamp");
        if (d.HasOrigin)
        {
            j.WriteStartObject("origin");
            WriteNullable(j, "refspec", d.Refspec);
            j.WriteEndObject();
        }
        else j.WriteNull("origin");
        j.WriteString("bootchecksum", d.BootChecksum);
        j.WriteNumber("bootserial", d.BootSerial);
        WriteNullable(j, "kargs", d.KernelArgs);
        if (d.GpgSignatures is { } sigs)
        {
            j.WriteStartArray("gpg-signatures");
            foreach (var sig in sigs)
            {
                j.WriteStartObject();
                j.WriteString("key-id", sig.KeyId);
                WriteNullable(j, "user-id", sig.UserId);
                j.WriteString("created", sig.CreatedTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                j.WriteBoolean("valid", sig.Valid);
                j.WriteBoolean("key-missing", sig.KeyMissing);
                j.WriteEndObject();
            }
            j.WriteEndArray();
        }
        else j.WriteNull("gpg-signatures");
        WriteNullable(j, "verify-error", d.VerifyError);
        j.WriteString("path", d.Path);
        j.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter j, string name, string? value)
    {
        if (value is null) j.WriteNull(name); else j.WriteString(name, value);
    }
}
