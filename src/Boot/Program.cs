namespace Arbor.Boot;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("arbor-prepare-root: not built yet");
        return 1;
    }
}
