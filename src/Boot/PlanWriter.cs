using System.Text;
using System.Text.Json;

namespace Arbor.Boot;

/// <summary>
/// <c>--dry-run</c> / <c>explain</c> output: the mount plan as readable text or as JSON (written with
/// Utf8JsonWriter: no reflection, AOT-safe). Pure: writes to the given writer/stream only.
/// </summary>
internal static class PlanWriter
{
    public static void WriteText(MountPlan plan, TextWriter w)
    {
        var f = plan.Facts;
        w.WriteLine($"ostree={f.Target.OstreeArgument}");
        w.WriteLine($"sysroot:          {f.Sysroot}");
        w.WriteLine($"deployment:       {f.Deployment}");
        w.WriteLine($"stateroot:        {f.Target.Stateroot}");
        w.WriteLine($"sysroot.readonly: {(f.ReadOnlySysroot ? "true" : "false")}");
        w.WriteLine($"/boot:            {(f.BootOnPhysicalRoot ? (f.DeploymentHasBootDirectory ? "on the physical root (bind)" : "on the physical root, but the deployment has no /boot") : "separate (mounted later from fstab)")}");
        w.WriteLine($"/usr:             {(f.UsrOverlay ? "overlay (.usr-ovl-work)" : "read-only bind")}");
        w.WriteLine($"run directory:    {f.RunDirectory}");
        w.WriteLine();
        int n = 0;
        foreach (var s in plan.Steps)
        {
            n++;
            var line = new StringBuilder();
            line.Append(n.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(2)).Append(". ");
            line.Append(s.OperationName.PadRight(13));
            if (s.Source is not null) line.Append(s.Source).Append(" -> ");
            line.Append(s.Target);
            if (s.FlagNames.Count > 0) line.Append("  [").Append(string.Join('|', s.FlagNames)).Append(']');
            if (s.Data is not null) line.Append("  ").Append(s.Data);
            if (s.Mode != 0) line.Append("  mode ").Append(Convert.ToString(s.Mode, 8).PadLeft(4, '0'));
            w.WriteLine(line.ToString());
            w.WriteLine($"    {s.Reason}");
        }
    }

    public static void WriteJson(MountPlan plan, Stream output)
    {
        var f = plan.Facts;
        using var j = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        j.WriteStartObject();
        j.WriteString("ostree", f.Target.OstreeArgument);
        j.WriteString("sysroot", f.Sysroot);
        j.WriteString("deployment", f.Deployment);
        j.WriteString("deployment-relative", f.Target.RelativePath);
        j.WriteString("stateroot", f.Target.Stateroot);
        j.WriteString("stateroot-var", f.Target.StaterootVar);
        j.WriteBoolean("sysroot-readonly", f.ReadOnlySysroot);
        j.WriteBoolean("boot-on-physical-root", f.BootOnPhysicalRoot);
        j.WriteBoolean("deployment-has-boot", f.DeploymentHasBootDirectory);
        j.WriteBoolean("usr-overlay", f.UsrOverlay);
        j.WriteBoolean("mount-var", f.MountVar);
        j.WriteString("run-directory", f.RunDirectory);
        j.WriteStartArray("steps");
        int n = 0;
        foreach (var s in plan.Steps)
        {
            j.WriteStartObject();
            j.WriteNumber("step", ++n);
            j.WriteString("operation", s.OperationName);
            if (s.Source is null) j.WriteNull("source"); else j.WriteString("source", s.Source);
            j.WriteString("target", s.Target);
            j.WriteStartArray("flags");
            foreach (var name in s.FlagNames) j.WriteStringValue(name);
            j.WriteEndArray();
            if (s.Data is not null) j.WriteString("data", s.Data);
            if (s.Mode != 0) j.WriteString("mode", Convert.ToString(s.Mode, 8).PadLeft(4, '0'));
            j.WriteString("reason", s.Reason);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
        j.Flush();
        output.Write("\n"u8);
    }
}
