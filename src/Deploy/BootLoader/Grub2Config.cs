using System.Globalization;
using System.Text;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The GRUB menu entries <c>ostree admin instutil grub2-generate</c> prints for
/// <c>/etc/grub.d/15_ostree</c> (ostree 2022.7's <c>_ostree_bootloader_grub2_generate_config</c>):
/// per BLS entry a <c>menuentry</c> with the shell-quoted title and id <c>ostree-I-DEVICEID</c>,
/// ostree's hard-coded video and gzio lines, the device preparation grub-mkconfig computed, then
/// <c>linux</c>, <c>initrd</c> and <c>devicetree</c>. Debian builds ostree for a modern GRUB, so
/// the commands carry no <c>16</c>/<c>efi</c> suffix, on EFI or not. Pure.
/// </summary>
public static class Grub2Config
{
    public static string Generate(IReadOnlyList<BootLoaderEntry> entries, string bootDeviceId, string prepareRootCache)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var id = string.Create(CultureInfo.InvariantCulture, $"ostree-{i}-{bootDeviceId}");
            sb.Append("menuentry ").Append(ShellQuote(e.Title ?? "(Untitled)"))
              .Append(" --class gnu-linux --class gnu --class os --unrestricted ").Append(ShellQuote(id)).Append(" {\n");
            sb.Append("load_video\nset gfxpayload=keep\n");
            sb.Append("insmod gzio\n");
            sb.Append(prepareRootCache).Append('\n');
            var linux = e.Linux ?? throw new DeployException("No \"linux\" key in bootloader config");
            sb.Append("linux ").Append(linux);
            if (e.Options is { } options) sb.Append(' ').Append(options);
            sb.Append('\n');
            if (e.Initrd is { } initrd) sb.Append("initrd ").Append(initrd).Append('\n');
            if (e.Get("devicetree") is { } dt) sb.Append("devicetree ").Append(dt).Append('\n');
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    /// <summary>GLib's g_shell_quote: single quotes, each <c>'</c> written as <c>'\''</c>.</summary>
    public static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
