using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Model;
using NetGen.Generator.Onnx;
using NetGen.Generator.WeightFiles;
using NetGen.Shared;

namespace NetGen.Generator.Importing;

/// <summary>
/// Reads the model files among the AdditionalFiles. The compiler hands generators AdditionalFiles only as decoded
/// text, which does not keep a binary file's bytes, so NetGen's build step (src/NetGen.Build, <c>build/net8.0/NetGen.targets</c>
/// in the package) replaces each <c>.onnx</c> and <c>.ngw</c> item with a base64 copy in this text format
/// (<c>src/Shared/ModelFileText.cs</c>; in Unity, the package's editor script writes it):
/// <code>
/// netgen-model-file 1
/// path: /full/path/of/models/iris.onnx
/// bytes: 1234
///
/// CAcSB3B5dG9yY2gaBjEuMTMu...
/// </code>
/// or, when the build step could not read the file, an <c>error:</c> line instead of <c>bytes:</c> and the body.
/// </summary>
internal static class ModelFileReader
{
    public const string EncodedExtension = ".netgen";
    private const string FirstLine = ModelFileText.FormatHeader;

    /// <summary>
    /// An encoded copy (the build step's, or in Unity the <c>.NetGen.Generator.additionalfile</c> that the package's editor
    /// script writes next to the model file), or a binary model file that reached the compiler without the build step.
    /// </summary>
    public static bool IsModelFile(AdditionalText text)
        => text.Path.EndsWith(EncodedExtension, StringComparison.OrdinalIgnoreCase)
           || text.Path.EndsWith(ModelFileText.UnitySuffix, StringComparison.Ordinal) // Unity's suffix is case-sensitive
           || IsRawModelFile(text.Path);

    /// <summary>Never throws: every problem is a <see cref="ModelFile"/> with an error.</summary>
    public static ModelFile Read(AdditionalText text, CancellationToken cancellationToken)
    {
        if (IsRawModelFile(text.Path))
        {
            return new ModelFile(text.Path, Unread(text.Path), null);
        }

        try
        {
            SourceText? source = text.GetText(cancellationToken);
            return source is null
                ? new ModelFile(text.Path, $"the compiler could not read its encoded copy '{text.Path}'; rebuild the project", null)
                : Decode(text.Path, source.ToString());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new ModelFile(text.Path, $"its encoded copy '{text.Path}' could not be read ({exception.GetType().Name}: {exception.Message}); rebuild the project", null);
        }
    }

    /// <summary>Decodes the text format above and imports the model it holds.</summary>
    internal static ModelFile Decode(string encodedPath, string content)
    {
        string[] lines = content.Split('\n');
        string Damaged(string what) => $"its encoded copy '{encodedPath}' is damaged ({what}); rebuild the project";
        if (lines.Length == 0 || lines[0].TrimEnd('\r') != FirstLine)
        {
            return new ModelFile(encodedPath, Damaged($"it does not start with '{FirstLine}'"), null);
        }

        string? path = null, error = null, bytes = null;
        int line = 1;
        for (; line < lines.Length; line++)
        {
            string header = lines[line].TrimEnd('\r');
            if (header.Length == 0)
            {
                break;
            }

            int colon = header.IndexOf(": ", StringComparison.Ordinal);
            string key = colon < 0 ? header : header.Substring(0, colon);
            string value = colon < 0 ? string.Empty : header.Substring(colon + 2);
            switch (key)
            {
                case "path": path = value; break;
                case "error": error = value; break;
                case "bytes": bytes = value; break;
            }
        }

        if (path is null)
        {
            return new ModelFile(encodedPath, Damaged("it has no 'path:' line"), null);
        }

        if (error is not null)
        {
            return new ModelFile(path, error, null);
        }

        if (bytes is null || !int.TryParse(bytes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int length))
        {
            return new ModelFile(path, Damaged("it has no valid 'bytes:' line"), null);
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(string.Join(string.Empty, lines, line, lines.Length - line)); // skips \r
        }
        catch (FormatException)
        {
            return new ModelFile(path, Damaged("its body is not base64"), null);
        }

        return data.Length != length
            ? new ModelFile(path, Damaged($"it holds {data.Length} bytes, not {length}"), null)
            : new ModelFile(path, null, Import(data));
    }

    /// <summary>A NetGen weight file by its magic bytes; anything else is read as ONNX.</summary>
    public static ImportedNetwork Import(byte[] data)
        => WeightFileReader.IsWeightFile(data) ? WeightFileReader.Read(data) : OnnxModelReader.Read(data);

    private static bool IsRawModelFile(string path)
        => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ngw", StringComparison.OrdinalIgnoreCase);

    private static string Unread(string path)
        => $"it reached the compiler as a plain AdditionalFiles item, but the compiler passes files to generators only as text, which loses a binary file's bytes. NetGen's build step (build/net8.0/NetGen.targets in the NetGen package) encodes '{System.IO.Path.GetFileName(path)}' for the generator; reference NetGen as a package, or import that file when referencing the generator some other way";
}
