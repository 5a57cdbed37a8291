namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The <c>syslinux.cfg</c> ostree 2022.7's syslinux backend writes: the old file with its ostree
/// <c>LABEL</c> blocks (those whose <c>KERNEL</c> starts with <c>/ostree/</c> or <c>/boot/ostree/</c>)
/// and every <c>DEFAULT</c> line removed, then a block per BLS entry (<c>LABEL title</c>, tab-indented
/// <c>KERNEL</c>, <c>INITRD</c>, <c>DEVICETREE</c> under <c>/boot</c>, <c>APPEND options</c>), preceded
/// by <c>DEFAULT</c> naming the first entry when the old default was an ostree one or there was none.
/// Quirks kept: a LABEL block without its own KERNEL line is judged by the previous block's. Pure.
/// </summary>
public static class SyslinuxConfig
{
    public static string Generate(string oldConfig, IReadOnlyList<BootLoaderEntry> entries)
    {
        var lines = oldConfig.Split('\n');
        var kept = new List<string>();
        var block = new List<string>();
        string? kernel = null;
        bool sawDefault = false, regenerateDefault = false, inLabel = false;
        // one pass more than there are lines, to finish the last LABEL block
        for (int i = 0; i <= lines.Length; i++)
        {
            string? line = i < lines.Length ? lines[i] : null;
            if (inLabel && (line is null || !line.StartsWith('\t')))
            {
                inLabel = false;
                if (kernel is null) throw new DeployException("No KERNEL argument found after LABEL");
                if (!kernel.StartsWith("/ostree/", StringComparison.Ordinal) && !kernel.StartsWith("/boot/ostree/", StringComparison.Ordinal))
                    kept.AddRange(block);
                block.Clear();
            }
            if (line is null) break;

            bool skip = false;
            if (!inLabel && line.StartsWith("LABEL ", StringComparison.Ordinal))
            {
                inLabel = true;
                block.Clear();
            }
            else if (inLabel && line.StartsWith("\tKERNEL ", StringComparison.Ordinal))
            {
                kernel = line["\tKERNEL ".Length..];
            }
            else if (!inLabel && line.StartsWith("DEFAULT ", StringComparison.Ordinal))
            {
                sawDefault = true;
                // ostree's titles end in "(ostree…)"; "DEFAULT ostree:" is its old format
                if (line.StartsWith("DEFAULT ostree:", StringComparison.Ordinal) || line.Contains("(ostree", StringComparison.Ordinal))
                    regenerateDefault = true;
                skip = true;
            }
            if (!skip) (inLabel ? block : kept).Add(line);
        }
        if (!sawDefault) regenerateDefault = true;

        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var title = e.Title ?? "(Untitled)";
            if (regenerateDefault && i == 0) kept.Add("DEFAULT " + title);
            kept.Add("LABEL " + title);
            var linux = e.Linux ?? throw new DeployException("No \"linux\" key in bootloader config");
            kept.Add("\tKERNEL /boot" + linux);
            if (e.Initrd is { } initrd) kept.Add("\tINITRD /boot" + initrd);
            if (e.Get("devicetree") is { } dt) kept.Add("\tDEVICETREE /boot" + dt);
            if (e.Options is { } options) kept.Add("\tAPPEND " + options);
        }
        return ConfigLines.Join(kept);
    }
}
