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
    /// <summary>The text's layers as the generator's model (whether they make sense together is the validator's question).</summary>
    /// <param name="layers">The parsed layers, each with its number of inputs.</param>
    public static EquatableArray<LayerSpec> ToLayerSpecs(IReadOnlyList<ArchitectureLayer> layers)
    {
        var result = new LayerSpec[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            ArchitectureLayer layer = layers[i];
            result[i] = layer.Kind == LayerKind.Dense
                ? LayerSpec.Dense(layer.Inputs, layer.Units, layer.Activation)
                : LayerSpec.Recurrent(layer.Kind, layer.Inputs, layer.Units, layer.Activation);
        }

        return new EquatableArray<LayerSpec>(result);
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
            ArchitectureText.AppendLayer(builder, layer.Kind, layer.Units, layer.Activation);
        }

        return builder;
    }
}
