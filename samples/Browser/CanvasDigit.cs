using System;

namespace NetGen.Samples.Browser;

/// <summary>
/// Turns a digit drawn on a canvas into an 8x8 image the way the UCI digits were made: the digit is scaled to fit a
/// 32x32 bitmap, and each of the 64 pixels is the number of set bitmap pixels in one 4x4 block (0 to 16).
/// </summary>
/// <remarks>
/// <para>
/// The UCI bitmaps are size-normalized, apparently to about 20x32 bitmap pixels: every one of the 1,797 images reaches
/// the top and the bottom row, and 1,510 start in column 1 and 1,439 end in column 6 (a 20-pixel-wide box in the
/// middle of 32 covers exactly columns 1 to 6); even the 1s span 4 to 6 columns, and the centre of mass of the ink is
/// within a third of a column of the middle on average. So the drawing's bounding box is scaled to
/// <see cref="NormalWidth"/> x 32, though neither axis by more than <see cref="MaxStretch"/> times the other, and
/// placed with its centre of mass in the middle.
/// </para>
/// <para>
/// A bitmap pixel is set when at least half of the canvas area it covers is ink (the mean of the canvas's alpha
/// channel over <see cref="SamplesPerSide"/> x <see cref="SamplesPerSide"/> points inside it is at least 128), so
/// anti-aliased stroke edges count as much as their coverage.
/// </para>
/// </remarks>
public static class CanvasDigit
{
    /// <summary>The side of the bitmap the digit is normalized to.</summary>
    public const int BitmapSize = 32;

    /// <summary>The side of the image the network reads.</summary>
    public const int ImageSize = 8;

    /// <summary>The side of the bitmap block that becomes one image pixel.</summary>
    public const int BlockSize = BitmapSize / ImageSize;

    /// <summary>Sample points per bitmap pixel and side when measuring its ink.</summary>
    public const int SamplesPerSide = 4;

    /// <summary>The width, in bitmap pixels, that the drawing's bounding box is scaled to (its height is scaled to 32).</summary>
    public const int NormalWidth = 20;

    /// <summary>
    /// How many times more one axis may be scaled than the other, so that a thin "1" (or a dash) is widened towards the
    /// UCI proportions but not stretched into a block. Drawn digits read the same from 1.5 to 2.5 (tests/NetGen.BrowserCheck).
    /// </summary>
    public const double MaxStretch = 2.0;

    /// <summary>The alpha value from which a canvas pixel counts as ink when finding the drawing's bounding box.</summary>
    public const byte InkThreshold = 128;

    /// <summary>
    /// Normalizes the drawing in <paramref name="alpha"/> to a 32x32 bitmap and counts each 4x4 block of it into
    /// <paramref name="image"/>.
    /// </summary>
    /// <param name="alpha">The canvas's alpha channel, row by row, <paramref name="width"/> x <paramref name="height"/> bytes (0: no ink, 255: ink).</param>
    /// <param name="width">The canvas's width in pixels.</param>
    /// <param name="height">The canvas's height in pixels.</param>
    /// <param name="image">Receives 64 pixels, row by row, each 0 to 16 (raw UCI values, not yet scaled).</param>
    /// <returns><see langword="false"/> (and an all-zero image) when there is no ink.</returns>
    /// <exception cref="ArgumentException">The sizes do not match the spans.</exception>
    public static bool ToImage(ReadOnlySpan<byte> alpha, int width, int height, Span<float> image)
    {
        Span<bool> bitmap = stackalloc bool[BitmapSize * BitmapSize];
        bool inked = ToBitmap(alpha, width, height, bitmap);
        CountBlocks(bitmap, image);
        return inked;
    }

    /// <summary>Normalizes the drawing in <paramref name="alpha"/> to a 32x32 bitmap (see the class remarks).</summary>
    /// <param name="alpha">The canvas's alpha channel, row by row.</param>
    /// <param name="width">The canvas's width in pixels.</param>
    /// <param name="height">The canvas's height in pixels.</param>
    /// <param name="bitmap">Receives 32x32 values, row by row.</param>
    /// <returns><see langword="false"/> (and an empty bitmap) when there is no ink.</returns>
    /// <exception cref="ArgumentException">The sizes do not match the spans.</exception>
    public static bool ToBitmap(ReadOnlySpan<byte> alpha, int width, int height, Span<bool> bitmap)
    {
        if (width < 1 || height < 1 || alpha.Length != width * height)
        {
            throw new ArgumentException($"A {width}x{height} canvas has {(long)width * height} alpha values, not {alpha.Length}.", nameof(alpha));
        }

        if (bitmap.Length != BitmapSize * BitmapSize)
        {
            throw new ArgumentException($"The bitmap needs {BitmapSize * BitmapSize} values, not {bitmap.Length}.", nameof(bitmap));
        }

        bitmap.Clear();
        if (!FindInk(alpha, width, height, out int left, out int top, out int right, out int bottom))
        {
            return false;
        }

        // One bitmap pixel covers cellX x cellY canvas pixels. The box is centred vertically, and horizontally the ink's
        // centre of mass goes to the middle (as far as the box stays inside), so that a "1" with a flag keeps its stem
        // in the middle columns, where the UCI 1s have it.
        int boxWidth = right - left + 1;
        int boxHeight = bottom - top + 1;
        double cellX = (double)boxWidth / NormalWidth;
        double cellY = (double)boxHeight / BitmapSize;
        cellX = Math.Max(cellX, cellY / MaxStretch);
        cellY = Math.Max(cellY, cellX / MaxStretch);
        double span = BitmapSize * cellX;
        double originX = Math.Clamp(InkCentreX(alpha, width, left, top, right, bottom) - (span / 2), right + 1 - span, left);
        double originY = top - ((BitmapSize * cellY) - boxHeight) / 2;
        const int threshold = 128 * SamplesPerSide * SamplesPerSide;
        for (int by = 0; by < BitmapSize; by++)
        {
            for (int bx = 0; bx < BitmapSize; bx++)
            {
                int sum = 0;
                for (int sy = 0; sy < SamplesPerSide; sy++)
                {
                    int y = (int)Math.Floor(originY + ((by + ((sy + 0.5) / SamplesPerSide)) * cellY));
                    if ((uint)y >= (uint)height)
                    {
                        continue;
                    }

                    for (int sx = 0; sx < SamplesPerSide; sx++)
                    {
                        int x = (int)Math.Floor(originX + ((bx + ((sx + 0.5) / SamplesPerSide)) * cellX));
                        if ((uint)x < (uint)width)
                        {
                            sum += alpha[(y * width) + x];
                        }
                    }
                }

                bitmap[(by * BitmapSize) + bx] = sum >= threshold;
            }
        }

        return true;
    }

    /// <summary>Counts the set pixels of each 4x4 block of a 32x32 bitmap: the UCI digits' 8x8 image, 0 to 16 per pixel.</summary>
    /// <param name="bitmap">32x32 values, row by row.</param>
    /// <param name="image">Receives 64 counts, row by row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void CountBlocks(ReadOnlySpan<bool> bitmap, Span<float> image)
    {
        if (bitmap.Length != BitmapSize * BitmapSize)
        {
            throw new ArgumentException($"The bitmap needs {BitmapSize * BitmapSize} values, not {bitmap.Length}.", nameof(bitmap));
        }

        if (image.Length != ImageSize * ImageSize)
        {
            throw new ArgumentException($"The image needs {ImageSize * ImageSize} values, not {image.Length}.", nameof(image));
        }

        image.Clear();
        for (int y = 0; y < BitmapSize; y++)
        {
            for (int x = 0; x < BitmapSize; x++)
            {
                if (bitmap[(y * BitmapSize) + x])
                {
                    image[((y / BlockSize) * ImageSize) + (x / BlockSize)]++;
                }
            }
        }
    }

    // The alpha-weighted mean x of the pixels' centres inside the box.
    private static double InkCentreX(ReadOnlySpan<byte> alpha, int width, int left, int top, int right, int bottom)
    {
        double sum = 0;
        double weightedX = 0;
        for (int y = top; y <= bottom; y++)
        {
            ReadOnlySpan<byte> row = alpha.Slice((y * width) + left, right - left + 1);
            for (int i = 0; i < row.Length; i++)
            {
                sum += row[i];
                weightedX += row[i] * (left + i + 0.5);
            }
        }

        return weightedX / sum;
    }

    private static bool FindInk(ReadOnlySpan<byte> alpha, int width, int height, out int left, out int top, out int right, out int bottom)
    {
        left = width;
        top = height;
        right = -1;
        bottom = -1;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = alpha.Slice(y * width, width);
            int first = row.IndexOfAnyInRange(InkThreshold, byte.MaxValue);
            if (first < 0)
            {
                continue;
            }

            int last = row.LastIndexOfAnyInRange(InkThreshold, byte.MaxValue);
            left = Math.Min(left, first);
            right = Math.Max(right, last);
            top = Math.Min(top, y);
            bottom = y;
        }

        return right >= 0;
    }
}
