using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.StaticDelta;

namespace Arbor.Cli.Commands.StaticDelta;

/// <summary><c>arbor static-delta show DELTA</c>: the decoded superblock and parts, line for line as ostree 2022.7 prints them.</summary>
public static class StaticDeltaShowCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var delta = StaticDeltaCommand.Rest("DELTA");
        var cmd = new Command("show", "Dump information on a delta") { repo, delta };
        cmd.SetAction(p =>
        {
            var r = RepoLocator.Open(p.GetValue(repo));
            var args = p.GetValue(delta) ?? [];
            if (args.Length == 0) throw new RepoException("DELTA must be specified");
            Render(CommandContext.Get().Out, DeltaInspector.Inspect(r, args[0]));
            return 0;
        });
        return cmd;
    }

    public static void Render(TextWriter o, DeltaInfo d)
    {
        o.Write($"Delta: {d.Id}\n");
        o.Write($"Signed: {(d.Signed ? "yes" : "no")}\n");
        o.Write(d.From is { } f ? $"From: {f}\n" : "From <scratch>\n");
        o.Write($"To: {d.To}\n");
        o.Write($"Endianness: {d.Endianness}\n");
        o.Write($"Timestamp: {d.Timestamp}\n");
        o.Write($"Number of parents: {d.ParentCount}\n");
        o.Write($"Number of fallback entries: {d.Fallbacks.Count}\n");
        ulong fbSize = 0, fbUSize = 0;
        foreach (var fb in d.Fallbacks)
        {
            o.Write($"  {fb.Object.Checksum}\n");
            fbSize += fb.Size;
            fbUSize += fb.UncompressedSize;
        }
        o.Write($"Total Fallback Size: {fbSize} ({SizeFormat.Format(fbSize)})\n");
        o.Write($"Total Fallback Uncompressed Size: {fbUSize} ({SizeFormat.Format(fbUSize)})\n");
        o.Write($"Number of parts: {d.Parts.Count}\n");
        ulong size = 0, usize = 0;
        foreach (var p in d.Parts)
        {
            size += p.Size;
            usize += p.UncompressedSize;
            var n = p.Ops;
            o.Write($"PartMeta{p.Index}: nobjects={p.ObjectCount} size={p.Size} usize={p.UncompressedSize}\n");
            o.Write($"PartPayload{p.Index}: nmodes={p.ModeCount} nxattrs={p.XattrCount} blobsize={p.BlobSize} opsize={p.OpsSize}\n");
            o.Write($"PartPayloadOps{p.Index}: openspliceclose={n.OpenSpliceAndClose} open={n.Open} write={n.Write} setread={n.SetRead} " +
                $"unsetread={n.UnsetRead} close={n.Close} bspatch={n.BsPatch}\n");
        }
        o.Write($"Total Part Size: {size} ({SizeFormat.Format(size)})\n");
        o.Write($"Total Part Uncompressed Size: {usize} ({SizeFormat.Format(usize)})\n");
        o.Write($"Total Size: {size + fbSize} ({SizeFormat.Format(size + fbSize)})\n");
        o.Write($"Total Uncompressed Size: {usize + fbUSize} ({SizeFormat.Format(usize + fbUSize)})\n");
    }
}
