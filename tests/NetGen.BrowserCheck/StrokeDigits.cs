using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.BrowserCheck;

/// <summary>
/// Digits as a person would draw them with the mouse on the page's 256x256 canvas: strokes of points in canvas pixels,
/// each about three quarters of the canvas tall.
/// </summary>
public static class StrokeDigits
{
    /// <summary>Each digit with its strokes.</summary>
    public static IReadOnlyList<(int Label, IReadOnlyList<IReadOnlyList<(int X, int Y)>> Strokes)> All { get; } =
    [
        (0, [Ellipse(128, 128, 52, 88)]),
        (1, [Line((122, 62), (140, 38)), Line((140, 38), (140, 218))]),
        (1, [Line((128, 38), (128, 218))]),
        (1, [Line((150, 40), (112, 216))]),
        (2, [[(76, 84), (92, 52), (128, 40), (164, 52), (178, 84), (168, 116), (124, 164), (76, 214), (186, 214)]]),
        (3, [[(78, 58), (110, 40), (150, 42), (174, 70), (168, 104), (124, 124), (170, 144), (180, 180), (150, 212), (110, 216), (76, 196)]]),
        (4, [[(140, 38), (70, 156), (192, 156)], Line((150, 90), (150, 220))]),
        (5, [[(176, 42), (88, 42), (80, 118), (130, 106), (170, 124), (182, 164), (160, 206), (116, 216), (80, 200)]]),
        (6, [[(164, 46), (120, 52), (88, 100), (78, 160), (96, 206), (136, 216), (170, 190), (172, 150), (140, 126), (100, 134), (80, 166)]]),
        (7, [Line((72, 42), (186, 42)), Line((186, 42), (108, 216))]),
        (8, [Ellipse(128, 82, 42, 42), Ellipse(128, 172, 50, 46)]),
        (9, [Ellipse(124, 86, 46, 46), Line((170, 86), (152, 218))]),
    ];

    // A closed ellipse as 36 points.
    private static IReadOnlyList<(int X, int Y)> Ellipse(int centreX, int centreY, int radiusX, int radiusY) =>
        Enumerable.Range(0, 37)
            .Select(i => 2 * Math.PI * i / 36)
            .Select(a => ((int)Math.Round(centreX + (radiusX * Math.Sin(a))), (int)Math.Round(centreY - (radiusY * Math.Cos(a)))))
            .ToList();

    // A straight stroke as 12 points, so that the page sees several pointer moves.
    private static IReadOnlyList<(int X, int Y)> Line((int X, int Y) from, (int X, int Y) to) =>
        Enumerable.Range(0, 13)
            .Select(i => ((int)Math.Round(from.X + ((to.X - from.X) * i / 12.0)), (int)Math.Round(from.Y + ((to.Y - from.Y) * i / 12.0))))
            .ToList();
}
