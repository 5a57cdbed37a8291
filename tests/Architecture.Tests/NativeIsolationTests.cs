using System.Text.RegularExpressions;

namespace Arbor.Architecture.Tests;

/// <summary>Syscalls live in one small place: only src/Repo/Native/ may use unsafe code, imports or Tmds.Linux.</summary>
public sealed partial class NativeIsolationTests
{
    [GeneratedRegex(@"\bunsafe\b|\[DllImport|\[LibraryImport|\bTmds\.Linux\b|\bfixed\s*\(|\bMarshal\.GetLastPInvokeError\b")]
    private static partial Regex NativeConstruct();

    [Fact]
    public void OnlyTheNativeFolderContainsNativeCode()
    {
        var offenders = new List<string>();
        foreach (var file in SourceTree.Files("src"))
        {
            var rel = Path.GetRelativePath(SourceTree.Root, file).Replace('\\', '/');
            if (rel.StartsWith("src/Repo/Native/", StringComparison.Ordinal) || rel.Contains("/obj/") || rel.Contains("/bin/")) continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("///", StringComparison.Ordinal)) continue;
                if (NativeConstruct().IsMatch(line)) offenders.Add($"{rel}:{i + 1}: {line}");
            }
        }
        Assert.True(offenders.Count == 0, "native code outside src/Repo/Native/:\n" + string.Join("\n", offenders));
    }
}
