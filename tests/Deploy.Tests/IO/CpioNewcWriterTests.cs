using System.Text;
using Arbor.Deploy.IO;
using Arbor.Repo.Native;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.IO;

public sealed class CpioNewcWriterTests
{
    [Fact]
    public void HeadersAreLibarchivesBytes()
    {
        var buffer = new MemoryStream();
        var cpio = new CpioNewcWriter(buffer);
        // a directory on device 0x1234:0x11 (major above 12 bits), inode above 32 bits; a 3-byte file on device 259:65536
        cpio.Add("/etc", new FileStatus(0x1000_0002_3411, 0x1_0000_002A, 0x41ED, 0, 0, 2, 4096, 0, 1700000000, 5), []);
        cpio.Add("k", new FileStatus(0x1001_0300, 7, 0x8180, 1000, 1000, 1, 3, 0, 1, 0), "abc"u8);
        cpio.Finish();
        var expected =
            "070701" + "0000002a" + "000041ed" + "00000000" + "00000000" + "00000002" + "6553f100" + "00000000" + "00001234" + "00000011" + "00000000" + "00000000" + "00000005" + "00000000" + "/etc\0" + "\0" +
            "070701" + "00000007" + "00008180" + "000003e8" + "000003e8" + "00000001" + "00000001" + "00000003" + "00000103" + "00010000" + "00000000" + "00000000" + "00000002" + "00000000" + "k\0" + "abc\0" +
            "070701" + "00000000" + "00000000" + "00000000" + "00000000" + "00000001" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "0000000b" + "00000000" + "TRAILER!!!\0" + "\0\0\0";
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void GnuCpioExtractsWhatItWrites()
    {
        using var tmp = new TempDirectory("cpio");
        var src = tmp.Combine("src");
        Directory.CreateDirectory(Path.Join(src, "etc/luks"));
        File.WriteAllText(Path.Join(src, "etc/crypttab"), "root UUID=x /etc/luks/root\n");
        File.WriteAllBytes(Path.Join(src, "etc/luks/root"), [1, 2, 3, 4, 5]);
        File.SetUnixFileMode(Path.Join(src, "etc/luks/root"), (UnixFileMode)0x180);

        var archive = tmp.Combine("a.cpio");
        using (var output = File.Create(archive))
        {
            var cpio = new CpioNewcWriter(output);
            foreach (var name in new[] { "etc", "etc/luks", "etc/crypttab", "etc/luks/root" })
            {
                var path = Path.Join(src, name);
                var st = Files.Stat(path);
                cpio.Add(name, st, st.IsRegular ? File.ReadAllBytes(path) : []);
            }
            cpio.Finish();
        }

        var dst = tmp.Combine("dst");
        Directory.CreateDirectory(dst);
        var r = ProcessRunner.Run("sh", ["-c", $"cd {dst} && cpio -id --quiet < {archive}"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("root UUID=x /etc/luks/root\n", File.ReadAllText(Path.Join(dst, "etc/crypttab")));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, File.ReadAllBytes(Path.Join(dst, "etc/luks/root")));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Join(dst, "etc/luks/root")));
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Join(src, "etc/crypttab")).Ticks / TimeSpan.TicksPerSecond,
                     File.GetLastWriteTimeUtc(Path.Join(dst, "etc/crypttab")).Ticks / TimeSpan.TicksPerSecond);
    }
}
