using Arbor.Repo.Core;

namespace Arbor.Repo.Tests.Core;

/// <summary>Whether the C library's codeset would be UTF-8 for an environment (LC_ALL, then LC_CTYPE, then LANG).</summary>
public sealed class LocaleCharsetTests
{
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("C", null, null, false)]
    [InlineData("POSIX", null, "C.UTF-8", false)]
    [InlineData("C.UTF-8", null, null, true)]
    [InlineData("C.utf8", null, null, true)]
    [InlineData("", "C.UTF-8", "C", true)]
    [InlineData(null, null, "C.UTF-8", true)]
    [InlineData(null, "C", "C.UTF-8", false)]
    [InlineData("en_US.UTF-8", null, null, false)]   // not installed in this probe
    [InlineData("de_DE.UTF-8", null, null, true)]    // installed
    [InlineData("de_DE.ISO-8859-1", null, null, false)]
    [InlineData("de_DE.UTF-8@euro", null, null, true)]
    public void Detects(string? all, string? ctype, string? lang, bool utf8)
    {
        var env = new Dictionary<string, string?> { ["LC_ALL"] = all, ["LC_CTYPE"] = ctype, ["LANG"] = lang };
        Assert.Equal(utf8, LocaleCharset.Detect(k => env.GetValueOrDefault(k), d => d == "/usr/lib/locale/de_DE.utf8", _ => false));
    }
}
