using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Validation;

/// <summary>Where in a declaration a problem lies, so the caller can put the diagnostic on the right syntax.</summary>
internal enum Site
{
    /// <summary>A layer's activation argument.</summary>
    Activation,

    /// <summary>A layer's attribute as a whole.</summary>
    Layer,

    /// <summary>The network's loss.</summary>
    Loss,

    /// <summary>The network's <c>MaxSteps</c>.</summary>
    MaxSteps,

    /// <summary>The network as a whole.</summary>
    Network,
}

/// <summary>
/// The rules a network must meet whichever way it was made: declared with attributes, read from a weight file or
/// imported from ONNX. Each rule reports through a callback that places the diagnostic: at the attribute argument at
/// fault for a declaration, at the model attribute for a file.
/// </summary>
internal static class NetworkValidator
{
    /// <summary>Above this, the inline parameter and gradient buffers stop being sensible (64 MiB each).</summary>
    public const long MaxParameters = 1L << 24;

    /// <summary>Activations and deltas live on the stack; keep a Backward call's frame within 256 KiB.</summary>
    public const long MaxStackFloats = 64 * 1024;

    /// <summary>The largest backpropagation-through-time workspace, in floats (1 GiB).</summary>
    public const long MaxWorkspaceFloats = 1L << 28;

    /// <summary>Reports a problem at (layer index or -1, site) with a descriptor and its message arguments.</summary>
    public delegate DiagnosticInfo Reporter(int layer, Site site, DiagnosticDescriptor descriptor, object[] arguments);

    /// <summary>Runs every rule; the layers' sizes are assumed checked (at least 1) by whoever read them.</summary>
    public static void Validate(string typeName, IReadOnlyList<LayerSpec> layers, Loss loss, int maxSteps, Reporter at, List<DiagnosticInfo> diagnostics)
    {
        int before = diagnostics.Count;
        CheckLayerKinds(typeName, layers, at, diagnostics);
        if (diagnostics.Count != before)
        {
            return; // the order is wrong: the other rules would only repeat it
        }

        CheckActivationsAndLoss(typeName, layers, loss, at, diagnostics);
        if (layers.Count > 0 && layers[0].IsRecurrent && maxSteps < 1)
        {
            diagnostics.Add(at(-1, Site.MaxSteps, DiagnosticDescriptors.MaxStepsOutOfRange, new object[] { typeName, maxSteps }));
            return;
        }

        CheckSize(typeName, layers, maxSteps, at, diagnostics);
    }

    /// <summary>Recurrent layers first, then dense layers, at least one of them; an RNN's nonlinearity is Tanh or ReLU.</summary>
    private static void CheckLayerKinds(string typeName, IReadOnlyList<LayerSpec> layers, Reporter at, List<DiagnosticInfo> diagnostics)
    {
        int firstDense = -1;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            if (!layer.IsRecurrent)
            {
                firstDense = firstDense < 0 ? i : firstDense;
                continue;
            }

            if (firstDense >= 0)
            {
                diagnostics.Add(at(i, Site.Layer, DiagnosticDescriptors.RecurrentAfterDense, new object[] { i + 1, typeName, layer.Kind, firstDense + 1 }));
            }

            if (layer.Kind == LayerKind.Rnn && layer.Activation is not (Activation.Tanh or Activation.ReLU) && Enum.IsDefined(typeof(Activation), layer.Activation))
            {
                diagnostics.Add(at(i, Site.Activation, DiagnosticDescriptors.RnnActivation, new object[] { i + 1, typeName, layer.Activation }));
            }
        }

        if (firstDense < 0 && layers.Count > 0)
        {
            diagnostics.Add(at(-1, Site.Network, DiagnosticDescriptors.NoLayers, new object[] { typeName }));
        }
    }

    /// <summary>Softmax only last, and a loss that suits the output layer.</summary>
    public static void CheckActivationsAndLoss(string typeName, IReadOnlyList<LayerSpec> layers, Loss loss, Reporter at, List<DiagnosticInfo> diagnostics)
    {
        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (layers[i].Activation == Activation.Softmax)
            {
                diagnostics.Add(at(i, Site.Activation, DiagnosticDescriptors.SoftmaxNotLast, new object[] { i + 1, typeName }));
            }
        }

        Activation output = layers[layers.Count - 1].Activation;
        Activation? required = loss switch
        {
            Loss.CrossEntropy => Activation.Softmax,
            Loss.BinaryCrossEntropy => Activation.Sigmoid,
            _ => null,
        };
        if (required is { } needed && output != needed && Enum.IsDefined(typeof(Activation), output))
        {
            diagnostics.Add(at(-1, Site.Loss, DiagnosticDescriptors.LossIncompatible, new object[] { loss, typeName, needed, output }));
        }
    }

    /// <summary>
    /// Parameters within the inline buffers' limit, a sample's activations and deltas (a sequence network's per-step
    /// state and gates) within the stack's, and a sequence network's workspace for <c>MaxSteps</c> steps within its own.
    /// </summary>
    private static void CheckSize(string typeName, IReadOnlyList<LayerSpec> layers, int maxSteps, Reporter at, List<DiagnosticInfo> diagnostics)
    {
        long parameters = 0;
        long stackFloats = 0; // the caller owns the input; each layer keeps activations and deltas, a recurrent layer its state and gates
        long workspacePerStep = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            long units = Math.Max(layer.Units, 0);
            if (parameters <= MaxParameters)
            {
                // Stops adding once over the limit: a count can be long.MaxValue, and two of them would overflow.
                parameters += ArchitectureText.ParameterCount(layer.Kind, Math.Max(layer.Inputs, 0), Math.Max(layer.Units, 0));
            }

            stackFloats += layer.IsRecurrent ? (2 * layer.Gates * units) + (3 * units) : 2 * units;
            workspacePerStep += layer.IsRecurrent ? layer.WorkspaceFloatsPerStep(hasInputDelta: i > 0) : 0;
        }

        if (parameters > MaxParameters)
        {
            diagnostics.Add(at(-1, Site.Network, DiagnosticDescriptors.NetworkTooLarge, new object[] { typeName, $"{parameters:N0} parameters exceed the limit of {MaxParameters:N0}" }));
        }
        else if (stackFloats > MaxStackFloats)
        {
            diagnostics.Add(at(-1, Site.Network, DiagnosticDescriptors.NetworkTooLarge, new object[] { typeName, $"its activations and gradients need {stackFloats:N0} floats of stack per sample, more than the limit of {MaxStackFloats:N0}; use narrower layers" }));
        }
        else if (workspacePerStep * ((long)maxSteps + 1) > MaxWorkspaceFloats)
        {
            diagnostics.Add(at(-1, Site.MaxSteps, DiagnosticDescriptors.NetworkTooLarge, new object[] { typeName, $"backpropagation through {maxSteps:N0} steps keeps {workspacePerStep:N0} floats per step, more than the workspace limit of {MaxWorkspaceFloats:N0} floats; lower MaxSteps or use narrower layers" }));
        }
    }

}
