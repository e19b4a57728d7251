using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Importing;

/// <summary>
/// Joins a declaration that names a model file with that file: finds it among the AdditionalFiles, checks it against
/// the declared layers (or takes the layers from it) and yields the network with its weights, or the diagnostics.
/// </summary>
internal static class ModelResolver
{
    public static Result<NetworkSpec> Resolve(NetworkDeclaration declaration, ImmutableArray<ModelFile> files)
    {
        ModelReference model = declaration.Model!;
        var diagnostics = new List<DiagnosticInfo>();
        try
        {
            NetworkSpec? spec = ResolveCore(declaration, model, files, diagnostics);
            return new Result<NetworkSpec>(diagnostics.Count == 0 ? spec : null, diagnostics.ToEquatableArray());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw (CS8785 would hide every network): say what went wrong, at the attribute.
            return new Result<NetworkSpec>(null, new[] { model.AtAttribute(DiagnosticDescriptors.InternalError, declaration.Type.Name, exception.GetType().Name + ": " + exception.Message) }.ToEquatableArray());
        }
    }

    private static NetworkSpec? ResolveCore(NetworkDeclaration declaration, ModelReference model, ImmutableArray<ModelFile> files, List<DiagnosticInfo> diagnostics)
    {
        List<ModelFile> matches = Find(model.Path, files);
        if (matches.Count == 0)
        {
            diagnostics.Add(model.AtPath(DiagnosticDescriptors.ModelFileNotListed, model.Path));
            return null;
        }

        if (matches.Count > 1)
        {
            diagnostics.Add(model.AtPath(DiagnosticDescriptors.ModelFileAmbiguous, model.Path, matches.Count, string.Join(", ", matches.Select(m => m.OriginalPath))));
            return null;
        }

        ModelFile file = matches[0];
        if (file.Error is not null || file.Network is null)
        {
            diagnostics.Add(model.AtPath(DiagnosticDescriptors.ModelFileUnreadable, model.Path, file.Error ?? "it holds no model"));
            return null;
        }

        ImportedNetwork imported = file.Network;
        if (!imported.Succeeded)
        {
            diagnostics.Add(model.AtPath(imported.IsCorrupt ? DiagnosticDescriptors.ModelFileCorrupt : DiagnosticDescriptors.ModelUnsupported, model.Path, imported.Error!));
            return null;
        }

        var weights = new ModelWeights(Printable(model.Path), model.Frozen, imported.Parameters, imported.InputMeans, imported.InputStandardDeviations);
        if (declaration.Declared is { } declared)
        {
            // The loss is not compared: weights do not depend on it, and ONNX files do not record one.
            if (declared.Inputs != imported.Inputs || !declared.Layers.Equals(imported.Layers))
            {
                diagnostics.Add(model.AtPath(DiagnosticDescriptors.ModelMismatch, model.Path, NetworkSpec.DescribeLayers(imported.Inputs, imported.Layers), declared.Type.Name, NetworkSpec.DescribeLayers(declared.Inputs, declared.Layers)));
                return null;
            }

            return declared with { Weights = weights };
        }

        Loss loss = model.Loss ?? imported.Loss ?? Loss.MeanSquaredError;
        var spec = new NetworkSpec(declaration.Type, imported.Inputs, loss, imported.Layers, weights) { MaxSteps = model.MaxSteps };
        NetworkValidator.Validate(declaration.Type.Name, imported.Layers, loss, model.MaxSteps, (_, _, descriptor, arguments) => model.AtAttribute(descriptor, arguments), diagnostics);
        return spec;
    }

    /// <summary>
    /// The files whose full path ends with the attribute's path, compared segment by segment (ordinally, else ignoring
    /// case); leading <c>./</c> and <c>../</c> segments of the attribute's path are dropped.
    /// </summary>
    private static List<ModelFile> Find(string path, ImmutableArray<ModelFile> files)
    {
        string wanted = Normalize(path);
        while (wanted.StartsWith("./", StringComparison.Ordinal) || wanted.StartsWith("../", StringComparison.Ordinal))
        {
            wanted = wanted.Substring(wanted.IndexOf('/') + 1);
        }

        if (wanted.Length == 0)
        {
            return new List<ModelFile>();
        }

        foreach (StringComparison comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            var matches = files
                .Where(file => EndsWithSegments(Normalize(file.OriginalPath), wanted, comparison))
                .GroupBy(file => file.OriginalPath, StringComparer.Ordinal) // the same item listed twice is one file
                .Select(group => group.First())
                .ToList();
            if (matches.Count > 0)
            {
                return matches;
            }
        }

        return new List<ModelFile>();
    }

    private static bool EndsWithSegments(string fullPath, string wanted, StringComparison comparison)
        => fullPath.EndsWith(wanted, comparison)
           && (fullPath.Length == wanted.Length || fullPath[fullPath.Length - wanted.Length - 1] == '/');

    private static string Normalize(string path) => path.Replace('\\', '/');

    /// <summary>The path as generated comments quote it: no character may end the comment's line.</summary>
    private static string Printable(string path)
        => new string(path.Select(c => char.IsControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c).ToArray());
}
