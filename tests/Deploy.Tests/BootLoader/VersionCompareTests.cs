using System.Runtime.InteropServices;
using Arbor.Deploy.BootLoader;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class VersionCompareTests
{
    // glibc's own strverscmp, the oracle (test code may import libc directly; src/ may not)
    [DllImport("libc", EntryPoint = "strverscmp")]
    private static extern int Strverscmp([MarshalAs(UnmanagedType.LPUTF8Str)] string a, [MarshalAs(UnmanagedType.LPUTF8Str)] string b);

    [Theory]
    [InlineData("1", "2")]
    [InlineData("2", "10")]
    [InlineData("9", "10")]
    [InlineData("000", "00")]
    [InlineData("00", "01")]
    [InlineData("01", "010")]
    [InlineData("09", "0")]
    [InlineData("9", "09")]
    [InlineData("a", "b")]
    [InlineData("1.2", "1.10")]
    [InlineData("abc", "abc")]
    [InlineData("", "1")]
    [InlineData("alpha1", "alpha001")]
    [InlineData("2.0.10", "2.0.9")]
    public void SignMatchesGlibc(string a, string b)
    {
        Assert.Equal(Math.Sign(Strverscmp(a, b)), Math.Sign(VersionCompare.Compare(a, b)));
        Assert.Equal(Math.Sign(Strverscmp(b, a)), Math.Sign(VersionCompare.Compare(b, a)));
    }

    [Fact]
    public void RandomVersionStringsMatchGlibc()
    {
        var rng = new Random(1234);
        const string alphabet = "0019.a-b";
        for (int n = 0; n < 20000; n++)
        {
            string Make() => new(Enumerable.Range(0, rng.Next(0, 7)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
            var a = Make();
            var b = Make();
            Assert.True(Math.Sign(Strverscmp(a, b)) == Math.Sign(VersionCompare.Compare(a, b)), $"'{a}' vs '{b}'");
        }
    }
}
