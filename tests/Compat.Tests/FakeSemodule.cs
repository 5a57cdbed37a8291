using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// A stand-in for a tree's <c>semodule</c> (run by a static busybox inside the deployment's
/// sandbox): <c>--help</c> names <c>--rebuild-if-modules-changed</c> unless <c>/etc/semodule-no-flag</c>
/// exists; a rebuild appends its arguments, working directory and the sandbox's <c>/</c> to
/// <c>/etc/semodule.log</c>, writes a line to stdout and one to stderr, and exits with the
/// number in <c>/etc/semodule-exit</c> (0 without it).
/// </summary>
internal static class FakeSemodule
{
    private const string Script = """
        #!/usr/bin/busybox sh
        B=/usr/bin/busybox
        if [ "$1" = --help ]; then
          echo "usage: semodule [option]... MODE..."
          [ -e /etc/semodule-no-flag ] || echo "  --rebuild-if-modules-changed  force a rebuild if the modules changed"
          echo "help on stderr" >&2
          exit 0
        fi
        echo "semodule $* in $($B pwd)" >> /etc/semodule.log
        $B ls / | $B tr '\n' ' ' >> /etc/semodule.log
        echo >> /etc/semodule.log
        echo "policy rebuilt"
        echo "rebuild note" >&2
        [ -e /etc/semodule-exit ] && exit $($B cat /etc/semodule-exit)
        exit 0

        """;

    /// <summary>Adds busybox, <c>usr/bin/semodule</c>, <c>var</c> and an <c>etc/selinux/config</c> (policy disabled) to the tree.</summary>
    public static OsTree Install(OsTree tree)
    {
        var busybox = Path.Join(tree.Path, "usr/bin/busybox");
        if (!File.Exists(busybox))
        {
            File.Copy("/bin/busybox", busybox);
            File.SetUnixFileMode(busybox, (UnixFileMode)0x1ED);
        }
        tree.File("usr/bin/semodule", Script, "755");
        // the sandbox binds the deployment's var: a tree without one fails with both tools
        tree.Dir("var");
        if (!File.Exists(Path.Join(tree.Path, "usr/etc/selinux/config"))) tree.File("usr/etc/selinux/config", "SELINUX=disabled\n");
        return tree;
    }
}
