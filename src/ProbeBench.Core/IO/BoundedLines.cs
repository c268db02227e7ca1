using System.Text;

namespace ProbeBench.Core.IO;

/// <summary>
/// The lines of a text (line breaks \n, \r\n or \r), each refused once it grows past a length: <see cref="TextReader.ReadLine"/>
/// holds a whole line before anyone can look at it, so a file without line breaks would become one string of its size.
/// </summary>
public static class BoundedLines
{
    /// <param name="tooLong">The error for the 1-based line that is longer than <paramref name="maxChars"/>.</param>
    public static IEnumerable<string> Read(TextReader reader, int maxChars, Func<int, Exception> tooLong)
    {
        var buffer = new char[1 << 16];
        var line = new StringBuilder();
        var number = 1;
        var afterCarriageReturn = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            if (afterCarriageReturn && buffer[0] == '\n') start = 1;
            afterCarriageReturn = false;
            while (start < read)
            {
                var end = buffer.AsSpan(start, read - start).IndexOfAny('\r', '\n');
                if (end >= 0) end += start;
                var length = (end < 0 ? read : end) - start;
                if (line.Length + length > maxChars) throw tooLong(number);
                line.Append(buffer, start, length);
                if (end < 0) break;
                yield return line.ToString();
                line.Clear();
                number++;
                start = end + 1;
                if (buffer[end] == '\r')
                {
                    if (start < read && buffer[start] == '\n') start++;
                    else if (start == read) afterCarriageReturn = true;
                }
            }
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
