using System;
using System.Globalization;
using System.Text;

namespace NetGen.Shared;

/// <summary>
/// The text form of a binary model file (<c>.ngw</c>, <c>.onnx</c>) that the generator reads as an AdditionalFiles item:
/// compilers hand generators AdditionalFiles only as decoded text, which does not keep a binary file's bytes.
/// <code>
/// netgen-model-file 1
/// path: /full/path/of/models/iris.onnx
/// bytes: 1234
///
/// CAcSB3B5dG9yY2gaBjEuMTMu...   (base64, lines of 76 characters)
/// </code>
/// or an <c>error:</c> line instead of <c>bytes:</c> and the body. One writer for NetGen's MSBuild build step
/// (src/NetGen.Build) and the runtime (<c>NetGen.Serialization.ModelFileEncoding</c>, which Unity's editor script
/// calls); the generator reads it (<c>Importing/ModelFileReader</c>).
/// </summary>
internal static class ModelFileText
{
    /// <summary>The first line.</summary>
    public const string FormatHeader = "netgen-model-file 1";

    /// <summary>Characters per line of base64.</summary>
    public const int LineLength = 76;

    /// <summary>
    /// The ending of the name Unity gives an additional file for the analyzer <c>NetGen.Generator</c>
    /// (<c>Filename.[Analyzer Name].additionalfile</c>, Unity manual, "Additional files for Roslyn analyzers").
    /// </summary>
    public const string UnitySuffix = ".NetGen.Generator.additionalfile";

    /// <summary>The text form of <paramref name="bytes"/>, the contents of the model file at <paramref name="path"/>.</summary>
    public static string Encode(string path, byte[] bytes)
    {
        var text = new StringBuilder();
        text.Append(FormatHeader).Append('\n');
        text.Append("path: ").Append(path).Append('\n');
        text.Append("bytes: ").Append(bytes.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append('\n');
        string base64 = Convert.ToBase64String(bytes);
        for (int start = 0; start < base64.Length; start += LineLength)
        {
            text.Append(base64, start, Math.Min(LineLength, base64.Length - start)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The text form saying why the model file at <paramref name="path"/> could not be read.</summary>
    public static string EncodeError(string path, string reason)
        => FormatHeader + "\npath: " + path + "\nerror: " + reason + "\n";
}
