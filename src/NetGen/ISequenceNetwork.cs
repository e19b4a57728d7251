using System;

namespace NetGen;

/// <summary>
/// Implemented by every trainable sequence network (recurrent layers first) besides <see cref="INetwork"/>: streaming,
/// one time step at a time, over a state the caller keeps. Generic code constrained with
/// <c>where TNet : ISequenceNetwork&lt;TState&gt;</c> runs any such network; <typeparamref name="TState"/> is the
/// network's nested <c>State</c> type.
/// </summary>
/// <typeparam name="TState">The network's <c>State</c>: its recurrent layers' hidden (and cell) states, inline; <c>default</c> is the zero initial state.</typeparam>
public interface ISequenceNetwork<TState> : INetwork
    where TState : struct
{
    /// <summary>
    /// Runs one time step: advances <paramref name="state"/> by <paramref name="features"/> and writes the outputs for
    /// the sequence so far, exactly what <see cref="INetwork.Forward"/> gives on that sequence. Allocation-free, and
    /// safe to call concurrently with different states.
    /// </summary>
    /// <param name="state">The state after the previous steps; <c>default</c> before the first step of a sequence.</param>
    /// <param name="features">Exactly <c>InputCount</c> values: this step's features.</param>
    /// <param name="output">Receives exactly <c>OutputCount</c> values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void Step(ref TState state, ReadOnlySpan<float> features, Span<float> output);
}
