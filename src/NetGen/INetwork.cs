using System;

namespace NetGen;

#if NET8_0_OR_GREATER
/// <summary>
/// Implemented by every class the NetGen generator completes. Generic code constrained with
/// <c>where TNet : INetwork</c> (trainers, evaluators, benchmarks) works on any network without virtual calls,
/// and reads the sizes as compile-time constants through the static members.
/// </summary>
/// <remarks>
/// This is the shape of the .NET 8 and later builds. The netstandard2.1 build of this library, for C# 9 and Unity
/// consumers (which cannot implement static abstract interface members), declares the same members with
/// <c>InputCount</c>, <c>OutputCount</c>, <c>ParameterCount</c>, <c>Architecture</c>, <c>LossFunction</c> and
/// <c>MaxSteps</c> as instance get-only properties.
/// </remarks>
#else
/// <summary>
/// Implemented by every class the NetGen generator completes. Generic code constrained with
/// <c>where TNet : INetwork</c> (trainers, evaluators, benchmarks) works on any network.
/// </summary>
/// <remarks>
/// This is the shape of the netstandard2.1 build, for C# 9 and Unity consumers, which cannot implement static abstract
/// interface members: <see cref="InputCount"/>, <see cref="OutputCount"/>, <see cref="ParameterCount"/>,
/// <see cref="Architecture"/>, <see cref="LossFunction"/> and <see cref="MaxSteps"/> are instance get-only properties,
/// which a network implements explicitly (e.g. <c>int INetwork.InputCount => InputCount;</c>), <see cref="MaxSteps"/>
/// included (1 for any network but a sequence network). The .NET 8 and later builds declare the six
/// <c>static abstract</c> (<c>MaxSteps</c> <c>static virtual</c>, 1 by default), so that generic code reads them as
/// compile-time constants.
/// </remarks>
#endif
public interface INetwork
{
#if NET8_0_OR_GREATER
    /// <summary>The number of input values per sample.</summary>
    static abstract int InputCount { get; }

    /// <summary>The number of output values per sample (the last layer's units).</summary>
    static abstract int OutputCount { get; }

    /// <summary>The number of weights and biases, i.e. the length of <see cref="Parameters"/> and <see cref="Gradients"/>.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>
    /// The architecture in NetGen's canonical form, <c>inputs-units(activation)-..., loss</c>, e.g.
    /// <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>. Two networks with the same text have interchangeable weights.
    /// </summary>
    static abstract string Architecture { get; }

    /// <summary>The loss that <see cref="Backward"/> computes and differentiates.</summary>
    static abstract Loss LossFunction { get; }

    /// <summary>
    /// The most time steps one sample may have: for a sequence network (recurrent layers first) the longest sequence
    /// <see cref="Backward"/> accepts, its declared <c>MaxSteps</c>; 1 for any other network. A sample of a sequence
    /// network is <c>steps × InputCount</c> values, one step after another; every other network takes exactly
    /// <c>InputCount</c> values.
    /// </summary>
    static virtual int MaxSteps => 1;
#else
    /// <summary>The number of input values per sample.</summary>
    int InputCount { get; }

    /// <summary>The number of output values per sample (the last layer's units).</summary>
    int OutputCount { get; }

    /// <summary>The number of weights and biases, i.e. the length of <see cref="Parameters"/> and <see cref="Gradients"/>.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// The architecture in NetGen's canonical form, <c>inputs-units(activation)-..., loss</c>, e.g.
    /// <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>. Two networks with the same text have interchangeable weights.
    /// </summary>
    string Architecture { get; }

    /// <summary>The loss that <see cref="Backward"/> computes and differentiates.</summary>
    Loss LossFunction { get; }

    /// <summary>
    /// The most time steps one sample may have: for a sequence network (recurrent layers first) the longest sequence
    /// <see cref="Backward"/> accepts, its declared <c>MaxSteps</c>; 1 for any other network. A sample of a sequence
    /// network is <c>steps × InputCount</c> values, one step after another; every other network takes exactly
    /// <c>InputCount</c> values.
    /// </summary>
    int MaxSteps { get; }
#endif

    /// <summary>
    /// Every weight and bias in one contiguous block, layer by layer, each layer as <c>W</c> (<c>[units, inputs]</c>,
    /// row-major) then <c>b</c> (<c>[units]</c>): PyTorch's <c>nn.Linear</c> <c>state_dict</c> order.
    /// </summary>
    Span<float> Parameters { get; }

    /// <summary>The accumulated gradients of the loss with respect to <see cref="Parameters"/>, in the same layout.</summary>
    Span<float> Gradients { get; }

    /// <summary>Runs the network on one sample. Allocation-free and safe to call concurrently on one instance.</summary>
    /// <param name="input">Exactly <c>InputCount</c> values (a sequence network: <c>steps × InputCount</c>, steps ≥ 1).</param>
    /// <param name="output">Receives exactly <c>OutputCount</c> values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Runs the forward pass on one sample, <b>adds</b> the gradient of that sample's loss to <see cref="Gradients"/>
    /// and returns the loss. Allocation-free; not thread-safe (it writes the instance's gradients).
    /// </summary>
    /// <param name="input">Exactly <c>InputCount</c> values (a sequence network: <c>steps × InputCount</c>, 1 ≤ steps ≤ <see cref="MaxSteps"/>).</param>
    /// <param name="target">Exactly <c>OutputCount</c> target values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target);

    /// <summary>
    /// Runs the network on <c>n</c> samples stored one after another: the same outputs as <c>n</c> calls of
    /// <see cref="Forward"/>. Allocation-free and safe to call concurrently on one instance.
    /// </summary>
    /// <param name="inputs"><c>n × InputCount</c> values (a sequence network: <c>n</c> sequences of one length, <c>n × steps × InputCount</c>).</param>
    /// <param name="outputs">Receives <c>n × OutputCount</c> values; its length gives <c>n</c>.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>
    /// Runs the forward pass on <c>n</c> samples, <b>adds</b> the sum of their gradients to <see cref="Gradients"/> and
    /// returns the sum of their losses: within float rounding, what <c>n</c> calls of <see cref="Backward"/> give.
    /// Allocation-free; not thread-safe (it writes the instance's gradients).
    /// </summary>
    /// <param name="inputs"><c>n × InputCount</c> values (a sequence network: <c>n</c> sequences of one length, 1 ≤ steps ≤ <see cref="MaxSteps"/>).</param>
    /// <param name="targets"><c>n × OutputCount</c> target values; its length gives <c>n</c>.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    float BackwardBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets);

    /// <summary>Runs the network on <c>n</c> samples and writes each one's predicted class, as <see cref="Predict"/> does.</summary>
    /// <param name="inputs"><c>n × InputCount</c> values (a sequence network: <c>n</c> sequences of one length).</param>
    /// <param name="classes">Receives the <c>n</c> predicted classes; its length gives <c>n</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> has the wrong length.</exception>
    void PredictBatch(ReadOnlySpan<float> inputs, Span<int> classes);

    /// <summary>Sets every element of <see cref="Gradients"/> to zero.</summary>
    void ZeroGradients();

    /// <summary>
    /// Runs the network and returns the predicted class: the index of the largest output, or for a single output
    /// 1 when it exceeds the decision threshold (0 for <see cref="Activation.Tanh"/>, 0.5 otherwise) and 0 if not.
    /// </summary>
    /// <param name="input">Exactly <c>InputCount</c> values (a sequence network: <c>steps × InputCount</c>, steps ≥ 1).</param>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong length.</exception>
    int Predict(ReadOnlySpan<float> input);
}
