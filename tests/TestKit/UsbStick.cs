namespace Arbor.TestKit;

/// <summary>
/// A "USB stick" for the mount finder: an ext4 image loop-mounted under <c>/media/</c> in a private
/// mount namespace (a <see cref="NamespaceHolder"/>). Not a tmpfs:
/// GLib's volume monitor, which ostree's mount finder uses, hides tmpfs (a system file system type) and
/// shows user mounts only under /media, /run/media or $HOME. Commands run inside with <c>nsenter</c>.
/// </summary>
public sealed class UsbStick : IDisposable
{
    private readonly NamespaceHolder _holder;
    private readonly string _image;

    /// <summary>The mount point inside the namespace.</summary>
    public string Inner { get; }

    /// <summary>The same directory as this process sees it.</summary>
    public string Path => _holder.HostPath(Inner);

    public UsbStick(string imageDir, int sizeMb = 64)
    {
        Privileged.RequireRoot();
        var id = Guid.NewGuid().ToString("N")[..12];
        _image = System.IO.Path.Combine(imageDir, $"usb-{id}.ext4");
        Inner = $"/media/arbor-usb-{id}";
        using (var f = File.Create(_image)) f.SetLength(sizeMb * 1024L * 1024L);
        ProcessRunner.RunOk("mkfs.ext4", ["-q", "-F", _image]);
        try { _holder = NamespaceHolder.Start("mkdir -p \"$2\" && mount -o loop \"$1\" \"$2\"", "mount a loop ext4 image under /media", _image, Inner); }
        catch
        {
            try { Directory.Delete(Inner); } catch (IOException) { }
            File.Delete(_image);
            throw;
        }
    }

    /// <summary>Runs a program inside the namespace.</summary>
    public CliResult Run(string file, params string[] args) => _holder.Run(file, args);

    public void Dispose()
    {
        _holder.Dispose();
        // the mount went away with the namespace: only the empty mount point and the image are left
        try { Directory.Delete(Inner); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { File.Delete(_image); } catch (IOException) { }
    }
}
