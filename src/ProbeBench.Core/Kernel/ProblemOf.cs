namespace ProbeBench.Core;

/// <summary>Turns a check that throws <see cref="ProbeBenchException"/> into its message (without the final period), for rules that collect problems.</summary>
internal static class ProblemOf
{
    public static string? Check(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (ProbeBenchException e)
        {
            return e.Message.TrimEnd('.');
        }
    }
}
