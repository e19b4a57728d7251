using System;
using NetGen.Shared;

namespace NetGen.Serialization;

/// <summary>
/// The text form of a model file that NetGen's generator reads, for <c>[WeightsFile]</c> and <c>[OnnxNetwork]</c>:
/// compilers hand generators only text, so a binary <c>.ngw</c> or <c>.onnx</c> file reaches the generator as this text.
/// The NuGet package's build step writes it for every model file in AdditionalFiles; in Unity, which has no build step,
/// the Unity package's editor script writes it next to each model file under <c>Assets</c>, named
/// <see cref="UnityFileName"/> (docs/unity.md, "Models compiled in").
/// </summary>
public static class ModelFileEncoding
{
    /// <summary>
    /// The text form of the model file at <paramref name="path"/> (<paramref name="bytes"/>, its contents). The generator
    /// matches a model attribute's path against the end of <paramref name="path"/>, segment by segment.
    /// </summary>
    /// <param name="path">The model file's path, e.g. <c>Assets/Models/iris.ngw</c>.</param>
    /// <param name="bytes">The model file's bytes.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string Encode(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(bytes);
        return ModelFileText.Encode(path, bytes);
    }

    /// <summary>
    /// The name Unity needs for the text form of the model file named <paramref name="fileName"/> to reach the generator as
    /// an additional file: <c>Filename.NetGen.Generator.additionalfile</c>, with no period in <c>Filename</c>
    /// (<c>iris.ngw</c> gives <c>iris_ngw.NetGen.Generator.additionalfile</c>; Unity manual, "Additional files for Roslyn
    /// analyzers and source generators").
    /// </summary>
    /// <param name="fileName">The model file's name, e.g. <c>iris.ngw</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fileName"/> is null.</exception>
    public static string UnityFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return fileName.Replace('.', '_') + ModelFileText.UnitySuffix;
    }
}
