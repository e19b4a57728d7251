using System;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.WeightFiles;

/// <summary>
/// Reads a NetGen weight file (<c>.ngw</c>, specified in docs/weights-format.md; written by the runtime's
/// <c>NetGen.Serialization.WeightFile</c>) into the network its architecture text describes, with its parameters.
/// </summary>
/// <remarks>
/// Steps 1 to 8 of the format's "Reading" section are the runtime's own code (<see cref="WeightFileFormat"/>, shared
/// source). In place of the comparison with a declared network (steps 9 and 10), the architecture text must parse
/// (<see cref="ArchitectureText"/>, shared too), a standardizer must have as many features as it has inputs, and the
/// parameter count must be the one it implies; last (step 11), every parameter must be finite. Whether the
/// architecture suits a NetGen network (Softmax only on the last layer, a loss that suits the output) is left to the
/// caller.
/// </remarks>
internal static class WeightFileReader
{
    /// <summary>
    /// Whether <paramref name="data"/> is meant to be a weight file: it starts with the magic bytes, or is a non-empty
    /// prefix of them (a truncated weight file, which <see cref="Read"/> reports as truncated). Exactly the data for
    /// which <see cref="Read"/> does not answer "not a NetGen weight file", except empty data.
    /// </summary>
    public static bool IsWeightFile(byte[] data) => data != null && data.Length > 0 && WeightFileFormat.StartsWithMagic(data);

    /// <summary>
    /// Every failure but recurrent layers is <see cref="ImportedNetwork.IsCorrupt"/>: a weight file has no "unsupported"
    /// operators, only damage. Never throws: every problem, including a truncated or corrupt file, is a failed result.
    /// </summary>
    /// <param name="data">The whole file.</param>
    /// <returns>The network, with the loss the file records; or the failure, a sentence naming the problem.</returns>
    public static ImportedNetwork Read(byte[] data)
    {
        try
        {
            return ReadChecked(data ?? Array.Empty<byte>());
        }
        catch (Exception e)
        {
            // Not expected: every check returns a failure. A safety net, as the generator must never throw.
            return ImportedNetwork.Corrupt($"the file could not be read as a NetGen weight file ({e.GetType().Name}: {e.Message})");
        }
    }

    private static ImportedNetwork ReadChecked(byte[] data)
    {
        // Steps 1 to 8: framing, checksums, structure.
        if (!WeightFileFormat.TryRead(data, out WeightFileContents contents, out WeightFileProblem problem))
        {
            return Rejected(problem);
        }

        // In place of steps 9 and 10: the architecture the text describes, and the sizes it implies.
        string architecture = contents.Architecture;
        if (!ArchitectureText.TryParse(architecture, out ParsedArchitecture? parsed, out string? error))
        {
            return ImportedNetwork.Corrupt(
                $"the file's architecture text {ArchitectureText.Quote(architecture)} is invalid: {error} (the canonical form is {ArchitectureText.CanonicalForm})");
        }

        if (contents.Means is { } means && means.Length != parsed.Inputs)
        {
            return Rejected(WeightFileProblem.Malformed($"its standardizer has {means.Length} features but its architecture has {parsed.Inputs} inputs"));
        }

        float[] parameters = contents.Parameters;
        if (parameters.Length != parsed.ParameterCount)
        {
            return ImportedNetwork.Corrupt(
                $"the file holds {parameters.Length} parameters, but its architecture {ArchitectureText.Quote(architecture)} has {parsed.ParameterCount}");
        }

        // 11. Finite parameters.
        int nonFinite = WeightFileFormat.IndexOfNonFinite(parameters);
        if (nonFinite >= 0)
        {
            return ImportedNetwork.Corrupt($"the file is not usable: parameter {nonFinite} of {parameters.Length} is {WeightFileFormat.Format(parameters[nonFinite])}");
        }

        return new ImportedNetwork(null, parsed.Inputs, ArchitectureMapping.ToLayerSpecs(parsed.Layers), new EquatableArray<float>(parameters), parsed.Loss)
        {
            InputMeans = Floats(contents.Means),
            InputStandardDeviations = Floats(contents.StandardDeviations),
        };
    }

    private static EquatableArray<float> Floats(float[]? values) => values == null ? EquatableArray<float>.Empty : new EquatableArray<float>(values);

    /// <summary>The generator's clause for a problem the shared checks found, e.g. <c>the file is truncated: ...</c>.</summary>
    private static ImportedNetwork Rejected(WeightFileProblem problem) =>
        ImportedNetwork.Corrupt(problem.Fault == WeightFileFault.Malformed
            ? $"the file {problem.Predicate}; it was not written by NetGen's WeightFile"
            : $"the file {problem.Predicate}");
}
