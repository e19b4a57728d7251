using System.Collections.Generic;
using System.Text;
using NetGen.Shared;

namespace NetGen.Generator.Model;

/// <summary>
/// The one place where the shared architecture text (src/Shared/ArchitectureText.cs), whose layers are neutral
/// <see cref="ArchitectureLayer"/>s, meets the generator's <see cref="LayerSpec"/>, in both directions. A layer kind
/// added to the model is mapped here.
/// </summary>
internal static class ArchitectureMapping
{
    /// <summary>The text's layers as the generator's model; false, with the reason, for layers it does not model yet.</summary>
    /// <param name="layers">The parsed layers, each with its number of inputs.</param>
    /// <param name="specs">The layers as <see cref="LayerSpec"/>s; empty when a layer is not supported.</param>
    /// <param name="unsupported">
    /// Null on success; otherwise what the architecture has that the generator cannot build, e.g.
    /// <c>a recurrent layer, Gru(32) (layer 1); recurrent layers are not supported yet</c>.
    /// </param>
    public static bool TryToLayerSpecs(IReadOnlyList<ArchitectureLayer> layers, out EquatableArray<LayerSpec> specs, out string? unsupported)
    {
        specs = EquatableArray<LayerSpec>.Empty;
        var result = new LayerSpec[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            ArchitectureLayer layer = layers[i];
            if (layer.Kind != LayerKind.Dense)
            {
                // Nothing half-works: the generator's model, planner and emitters know dense layers only.
                unsupported = $"a recurrent layer, {ArchitectureText.Token(layer)} (layer {i + 1}); recurrent layers are not supported yet";
                return false;
            }

            result[i] = new LayerSpec(layer.Inputs, layer.Units, layer.Activation);
        }

        specs = new EquatableArray<LayerSpec>(result);
        unsupported = null;
        return true;
    }

    /// <summary>The layers in the canonical form, without the loss, e.g. <c>4-8(ReLU)-3(Softmax)</c>.</summary>
    public static string DescribeLayers(int inputs, EquatableArray<LayerSpec> layers) => AppendLayers(new StringBuilder(), inputs, layers).ToString();

    /// <summary>The canonical architecture text, e.g. <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>: what weight files record.</summary>
    public static string Describe(int inputs, EquatableArray<LayerSpec> layers, Loss loss)
        => ArchitectureText.AppendLoss(AppendLayers(new StringBuilder(), inputs, layers), loss).ToString();

    private static StringBuilder AppendLayers(StringBuilder builder, int inputs, EquatableArray<LayerSpec> layers)
    {
        builder.Append(inputs);
        foreach (LayerSpec layer in layers)
        {
            ArchitectureText.AppendLayer(builder, LayerKind.Dense, layer.Units, layer.Activation);
        }

        return builder;
    }
}
