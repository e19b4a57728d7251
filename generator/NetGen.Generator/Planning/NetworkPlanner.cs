using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// Decides each layer's code shape. This is the one place that choice is made; the emitter only follows it.
/// </summary>
internal static class NetworkPlanner
{
    /// <summary>Largest layer (multiply-adds) that is unrolled into straight-line code.</summary>
    public const int MaxUnrolledLayerMultiplyAdds = 128;

    /// <summary>
    /// Unrolled multiply-adds allowed in one method. <c>Backward</c> spends about three statements per multiply-add;
    /// RyuJIT stops optimising methods of a few tens of KB of IL, so the unrolled part of a method stays far below.
    /// </summary>
    public const int MaxUnrolledMultiplyAddsPerMethod = 512;

    public static NetworkPlan Plan(NetworkSpec network)
    {
        var shapes = new LayerShape[network.Layers.Count];
        long unrolledBudget = MaxUnrolledMultiplyAddsPerMethod;
        for (int i = 0; i < shapes.Length; i++)
        {
            long multiplyAdds = network.Layers[i].MultiplyAdds;
            bool unroll = multiplyAdds <= MaxUnrolledLayerMultiplyAdds && multiplyAdds <= unrolledBudget;
            shapes[i] = unroll ? LayerShape.Unrolled : LayerShape.Loop;
            unrolledBudget -= unroll ? multiplyAdds : 0;
        }

        var layers = new List<LayerPlan>(shapes.Length);
        int offset = 0;
        for (int i = 0; i < shapes.Length; i++)
        {
            LayerSpec layer = network.Layers[i];
            bool isLast = i == shapes.Length - 1;
            bool inLocals = !isLast && shapes[i] == LayerShape.Unrolled && shapes[i + 1] == LayerShape.Unrolled;
            int weights = layer.Inputs * layer.Units;
            layers.Add(new LayerPlan(layer, i + 1, offset, offset + weights, shapes[i], inLocals));
            offset += weights + layer.Units;
        }

        return new NetworkPlan(network, layers.ToEquatableArray(), offset);
    }
}
