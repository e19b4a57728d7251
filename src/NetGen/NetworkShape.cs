using System;

namespace NetGen;

/// <summary>
/// A network's sizes, architecture and loss: the one way the library's generic code (and NetGen.Onnx, which links this
/// file) reads them on every target. The .NET 8 and later builds read the network type's static members, so
/// that the JIT sees constants; the netstandard2.1 build, whose <see cref="INetwork"/> declares them as instance
/// properties, reads them from the instance.
/// </summary>
internal readonly struct NetworkShape
{
    private NetworkShape(int inputCount, int outputCount, int parameterCount, string architecture, Loss lossFunction, int maxSteps)
    {
        InputCount = inputCount;
        OutputCount = outputCount;
        ParameterCount = parameterCount;
        Architecture = architecture;
        LossFunction = lossFunction;
        MaxSteps = maxSteps;
    }

    /// <summary><see cref="INetwork.InputCount"/>.</summary>
    public int InputCount { get; }

    /// <summary><see cref="INetwork.OutputCount"/>.</summary>
    public int OutputCount { get; }

    /// <summary><see cref="INetwork.ParameterCount"/>.</summary>
    public int ParameterCount { get; }

    /// <summary><see cref="INetwork.Architecture"/>.</summary>
    public string Architecture { get; }

    /// <summary><see cref="INetwork.LossFunction"/>.</summary>
    public Loss LossFunction { get; }

    /// <summary><see cref="INetwork.MaxSteps"/>.</summary>
    public int MaxSteps { get; }

    /// <summary>The shape of <paramref name="network"/> (on .NET 8 and later, of <typeparamref name="TNet"/>; the instance is not read).</summary>
    public static NetworkShape Of<TNet>(TNet network)
        where TNet : INetwork
#if NET8_0_OR_GREATER
        => Of<TNet>();
#else
    {
        ArgumentNullException.ThrowIfNull(network);
        return new NetworkShape(network.InputCount, network.OutputCount, network.ParameterCount, network.Architecture, network.LossFunction, network.MaxSteps);
    }
#endif

    /// <summary>
    /// The shape of <typeparamref name="TNet"/> without an instance. In the netstandard2.1 build this reads it from one
    /// instance made through the type's public parameterless constructor (every generated network has one), once per
    /// type; a type without one throws <see cref="MissingMethodException"/>.
    /// </summary>
    public static NetworkShape Of<TNet>()
        where TNet : INetwork
#if NET8_0_OR_GREATER
        => new(TNet.InputCount, TNet.OutputCount, TNet.ParameterCount, TNet.Architecture, TNet.LossFunction, TNet.MaxSteps);
#else
        => DefaultShape<TNet>.Value;

    /// <summary>The shape of <typeparamref name="TNet"/>, read once from an instance of it.</summary>
    private static class DefaultShape<TNet>
        where TNet : INetwork
    {
        public static readonly NetworkShape Value = Of(Activator.CreateInstance<TNet>());
    }
#endif
}
