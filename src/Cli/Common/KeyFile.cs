using Arbor.Repo.Core;

namespace Arbor.Cli.Common;

/// <summary>A key file named on the command line, read whole; failures in ostree's words ("Error opening file PATH: REASON").</summary>
public static class KeyFile
{
    public static byte[] Read(string path)
    {
        try
        {
            if (Directory.Exists(path)) throw new RepoException($"Error opening file {path}: Is a directory");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RepoException($"Error opening file {path}: No such file or directory");
        }
        catch (UnauthorizedAccessException)
        {
            throw new RepoException($"Error opening file {path}: Permission denied");
        }
        catch (IOException e)
        {
            throw new RepoException($"Error opening file {path}: {e.Message}");
        }
    }
}
