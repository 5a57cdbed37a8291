namespace Arbor.Boot;

/// <summary>
/// A boot-stage failure with a one-line message that names the path it is about. Boot references no
/// Arbor project, so it has its own exception rather than ArborException (style.md §4.1).
/// </summary>
internal sealed class BootException : Exception
{
    public BootException(string message) : base(message) { }

    public BootException(string message, Exception inner) : base(message, inner) { }
}
