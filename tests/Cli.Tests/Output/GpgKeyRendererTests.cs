using Arbor.Cli.Output;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Tests.Output;

/// <summary><c>ot_dump_gpg_key</c>'s lines, as <c>remote gpg-list-keys</c> prints a key.</summary>
public sealed class GpgKeyRendererTests
{
    [Fact]
    public void PrintsKeyUserIdsAndSubkeysAsOstree()
    {
        var key = new GpgKeyView(
            [
                new GpgSubkeyInfo("6C5E9915431B0ADE108DC96F19C13E21885860B6", 0x19C13E21885860B6, 1795952652, 0, false, false, false),
                new GpgSubkeyInfo("145EC013E54B3B534A6909BFB8D07293AF52AACE", unchecked((long)0xB8D07293AF52AACE), 1795952659, 1833123600, false, false, false),
                new GpgSubkeyInfo("9D53CBA3A9BC5543756CD4ED0883F888ADAF55BE", 0x0883F888ADAF55BE, 1795952659, 1609556645, true, true, true),
            ],
            [
                new GpgUserIdInfo(GpgUserId.Parse("Second Uid <second@example.org>"), false, false),
                new GpgUserIdInfo(GpgUserId.Parse("Arbor Test (a comment) <Test.User@Example.com>"), true, false),
                new GpgUserIdInfo(GpgUserId.Parse("no address"), false, true),
            ]);
        var w = new StringWriter();
        GpgKeyRenderer.Render(w, key, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), utf8: true);
        Assert.Equal(
            "Key: 6C5E9915431B0ADE108DC96F19C13E21885860B6\n" +
            "  Created: Sun Nov 29 06:44:12 2026\n" +
            "  UID: Second Uid <second@example.org>\n" +
            "  Advanced update URL: https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/gwzzokpn8bfoy8gbfcgncr68k3nww85k?l=second\n" +
            "  Direct update URL: https://example.org/.well-known/openpgpkey/hu/gwzzokpn8bfoy8gbfcgncr68k3nww85k?l=second\n" +
            "  UID: Arbor Test (a comment) <Test.User@Example.com> (revoked)\n" +
            "  Advanced update URL: https://openpgpkey.example.com/.well-known/openpgpkey/example.com/hu/dpkwqu7tcssks3gmmbmqf4xar83heb6c?l=test.user\n" +
            "  Direct update URL: https://example.com/.well-known/openpgpkey/hu/dpkwqu7tcssks3gmmbmqf4xar83heb6c?l=test.user\n" +
            "  UID: no address (invalid)\n" +
            "  Advanced update URL: \n" +
            "  Direct update URL: \n" +
            "  Subkey: 145EC013E54B3B534A6909BFB8D07293AF52AACE\n" +
            "    Created: Sun Nov 29 06:44:19 2026\n" +
            "    Expires: Wed Feb \u20072 12:00:00 2028\n" +
            "  Subkey: 9D53CBA3A9BC5543756CD4ED0883F888ADAF55BE (revoked) (invalid)\n" +
            "    Created: Sun Nov 29 06:44:19 2026\n" +
            "    Expired: Fri Jan \u20071 22:04:05 2021\n",
            w.ToString());
    }
}
