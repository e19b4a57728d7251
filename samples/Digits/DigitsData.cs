using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using NetGen.Data;

namespace NetGen.Samples.Digits;

/// <summary>Reads the handwritten digits: 1,797 images of 8x8 pixels, each labelled with its digit.</summary>
public static class DigitsData
{
    /// <summary>Pixels per image, row by row.</summary>
    public const int PixelCount = 64;

    /// <summary>The digits 0 to 9.</summary>
    public const int ClassCount = 10;

    /// <summary>The largest pixel value (pixels are counts of set bits in 4x4 blocks of a 32x32 bitmap).</summary>
    public const float MaxPixel = 16f;

    /// <summary>The data file copied next to the sample's assembly (and next to the tests' assembly).</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz");

    /// <summary>The class names, <c>"0"</c> to <c>"9"</c>.</summary>
    public static string[] ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// Reads <c>Data/digits.csv.gz</c>: gzip-compressed CSV without a header, 65 integers a line (64 pixels, then the
    /// digit). The features are the raw pixel values 0 to 16, the targets the one-hot rows of the digits.
    /// </summary>
    /// <param name="path">The file, or <see langword="null"/> for <see cref="DefaultPath"/>.</param>
    /// <exception cref="InvalidDataException">A line does not hold 65 integers in range.</exception>
    public static Dataset Load(string? path = null)
    {
        path ??= DefaultPath;
        using FileStream file = File.OpenRead(path);
        return Load(file, path);
    }

    /// <summary>
    /// Reads the digits from a stream holding the contents of <c>Data/digits.csv.gz</c> (still gzip-compressed), e.g.
    /// a resource embedded in an assembly where there is no file system (the browser sample).
    /// </summary>
    /// <param name="compressed">The gzip-compressed CSV; read to its end, not closed.</param>
    /// <param name="name">What error messages call the data, such as its file name.</param>
    /// <exception cref="InvalidDataException">A line does not hold 65 integers in range.</exception>
    public static Dataset Load(Stream compressed, string name)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        using var reader = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true));
        var pixels = new System.Collections.Generic.List<float>(1797 * PixelCount);
        var labels = new System.Collections.Generic.List<int>(1797);
        int lineNumber = 0;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            string[] fields = line.Split(',');
            if (fields.Length != PixelCount + 1)
            {
                throw new InvalidDataException($"{name}, line {lineNumber}: {fields.Length} values instead of {PixelCount + 1}.");
            }

            for (int i = 0; i < PixelCount; i++)
            {
                int value = int.Parse(fields[i], CultureInfo.InvariantCulture);
                if (value < 0 || value > MaxPixel)
                {
                    throw new InvalidDataException($"{name}, line {lineNumber}: pixel {i} is {value}, outside [0, {MaxPixel}].");
                }

                pixels.Add(value);
            }

            labels.Add(int.Parse(fields[PixelCount], CultureInfo.InvariantCulture));
        }

        int[] labelArray = labels.ToArray();
        return new Dataset(pixels.ToArray(), PixelCount, OneHot.Encode(labelArray, ClassCount), ClassCount, labelArray, ClassCount);
    }
}
