using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NetGen.Samples.Sunspots;

/// <summary>A yearly series: one value per year, from <paramref name="FirstYear"/> on, without gaps.</summary>
/// <param name="FirstYear">The year of <c>Numbers[0]</c>.</param>
/// <param name="Numbers">The yearly mean sunspot numbers.</param>
public sealed record SunspotSeries(int FirstYear, float[] Numbers)
{
    /// <summary>The year of the last value.</summary>
    public int LastYear => FirstYear + Numbers.Length - 1;

    /// <summary>The number of years.</summary>
    public int Count => Numbers.Length;

    /// <summary>The value of <paramref name="year"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The series does not cover <paramref name="year"/>.</exception>
    public float this[int year] => year >= FirstYear && year <= LastYear
        ? Numbers[year - FirstYear]
        : throw new ArgumentOutOfRangeException(nameof(year), year, $"The series covers {FirstYear} to {LastYear}.");
}

/// <summary>Reads the yearly sunspot numbers, 1700 to 2008 (see <c>Data/README.md</c>).</summary>
public static class SunspotData
{
    /// <summary>The data file copied next to the sample's assembly (and next to the tests' assembly).</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "Data", "sunspots-yearly.csv");

    /// <summary>
    /// Reads <c>Data/sunspots-yearly.csv</c>: a header line <c>year,sunspots</c>, then one line per year,
    /// <c>year,number</c>, the years consecutive and the numbers finite and not negative.
    /// </summary>
    /// <param name="path">The file, or <see langword="null"/> for <see cref="DefaultPath"/>.</param>
    /// <exception cref="InvalidDataException">The header is missing, a line is malformed, or a year is skipped.</exception>
    public static SunspotSeries Load(string? path = null)
    {
        path ??= DefaultPath;
        using var reader = new StreamReader(path);
        if (reader.ReadLine() is not "year,sunspots")
        {
            throw new InvalidDataException($"{path}: the first line must be the header 'year,sunspots'.");
        }

        var numbers = new List<float>(309);
        int firstYear = 0;
        int lineNumber = 1;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            string[] fields = line.Split(',');
            if (fields.Length != 2
                || !int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int year)
                || !float.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float number)
                || !float.IsFinite(number) || number < 0)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: '{line}' is not 'year,number' with a number of at least 0.");
            }

            if (numbers.Count == 0)
            {
                firstYear = year;
            }
            else if (year != firstYear + numbers.Count)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: year {year} where {firstYear + numbers.Count} was expected.");
            }

            numbers.Add(number);
        }

        if (numbers.Count == 0)
        {
            throw new InvalidDataException($"{path}: no years.");
        }

        return new SunspotSeries(firstYear, numbers.ToArray());
    }
}
