using Arbor.Repo.Native;

namespace Arbor.Boot;

/// <summary>
/// Runs a <see cref="MountPlan"/> step by step through the Native layer. The first failure stops it with
/// a one-line <see cref="BootException"/> naming the step and its path; nothing is undone (the initramfs
/// drops to its emergency shell with that line on the console).
/// </summary>
internal static class MountExecutor
{
    public static void Run(MountPlan plan, BootLog? log = null)
    {
        int n = 0;
        foreach (var step in plan.Steps)
        {
            n++;
            try
            {
                Execute(step);
            }
            catch (Exception e) when (e is NativeIOException or IOException or UnauthorizedAccessException)
            {
                throw new BootException($"step {n} ({step.OperationName} {step.Target}): {e.Message}", e);
            }
            if (log is { Verbose: true })
                log.Debug($"{n}. {step.OperationName} {(step.Source is null ? "" : step.Source + " -> ")}{step.Target}");
        }
    }

    public static void Execute(MountStep step)
    {
        switch (step.Operation)
        {
            case MountOperation.MakePrivate:
                Mount.Run(null, step.Target, null, step.Flags);
                break;
            case MountOperation.Bind:
            case MountOperation.Move:
                Mount.Run(step.Source, step.Target, null, step.Flags);
                break;
            case MountOperation.RemountBind:
            case MountOperation.Remount:
                Mount.Run(step.Target, step.Target, null, step.Flags);
                break;
            case MountOperation.Overlay:
                Mount.Run(step.Source, step.Target, "overlay", step.Flags, step.Data);
                break;
            case MountOperation.MakeDirectory:
                Files.Mkdir(step.Target, step.Mode);
                break;
            case MountOperation.RemoveDirectory:
                Directory.Delete(step.Target);
                break;
            case MountOperation.WriteFile:
                WriteEmpty(step.Target, step.Mode);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Operation, "unknown mount operation");
        }
    }

    private static void WriteEmpty(string path, uint mode)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = (UnixFileMode)mode,
        };
        using var stream = new FileStream(path, options);
    }
}
