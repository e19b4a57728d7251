using System;

namespace NetGen;

/// <summary>
/// Declares a network from an ONNX model, read at compile time: the layers, activations and weights all come from the
/// file, so a model exported from PyTorch or Keras becomes plain compiled C#. Instead of <see cref="NetworkAttribute"/>
/// and <see cref="DenseAttribute"/>, not together with them.
/// </summary>
/// <remarks>
/// <para>
/// The graph must be a multilayer perceptron: <c>Gemm</c> or <c>MatMul</c>+<c>Add</c> layers, each optionally followed by
/// <c>Relu</c>, <c>LeakyRelu</c> (slope 0.01), <c>Sigmoid</c>, <c>Tanh</c> or <c>Softmax</c>, with <c>Flatten</c>,
/// <c>Identity</c> and <c>Dropout</c> passed through and a <c>BatchNormalization</c> after a dense layer folded into it.
/// Anything else is a compile-time error naming the node and operator. See docs/pytorch.md.
/// </para>
/// <para>
/// List the file as an <c>AdditionalFiles</c> item of the project, e.g.
/// <c>&lt;AdditionalFiles Include="models/iris.onnx" /&gt;</c>. A NetGen weight file (<c>.ngw</c>) is accepted too.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [OnnxNetwork("models/iris.onnx")]                                        // frozen: static Forward/Predict
/// public static partial class IrisModel { }
///
/// [OnnxNetwork("models/iris.onnx", Frozen = false, Loss = Loss.CrossEntropy)] // trainable, starts from the file
/// public partial class IrisTuner { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class OnnxNetworkAttribute : Attribute
{
    /// <summary>Declares a network from the ONNX model at <paramref name="path"/>.</summary>
    /// <param name="path">
    /// The file's path as listed in the project's <c>AdditionalFiles</c>, relative to the project directory (for
    /// example <c>models/iris.onnx</c>); it is matched against the end of each item's full path.
    /// </param>
    public OnnxNetworkAttribute(string path) => Path = path;

    /// <summary>The model file's path, as given to the constructor.</summary>
    public string Path { get; }

    /// <summary>
    /// Whether the generated type is inference-only with compiled-in weights (<see langword="true"/>, the default), or
    /// a trainable network whose parameterless constructor starts from the file's weights (<see langword="false"/>).
    /// </summary>
    public bool Frozen { get; set; } = true;

    /// <summary>
    /// The loss <c>Backward</c> differentiates when the network is not <see cref="Frozen"/>. ONNX models do not record
    /// one; defaults to <see cref="Loss.MeanSquaredError"/> (or, for a NetGen weight file, the loss it records).
    /// </summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;

    /// <summary>
    /// For a sequence model (recurrent layers first) that is not <see cref="Frozen"/>: the longest sequence, in steps,
    /// that <c>Backward</c> accepts, as <see cref="NetworkAttribute.MaxSteps"/>. Defaults to
    /// <see cref="NetworkAttribute.DefaultMaxSteps"/>.
    /// </summary>
    public int MaxSteps { get; set; } = NetworkAttribute.DefaultMaxSteps;
}
