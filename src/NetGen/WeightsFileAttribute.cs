using System;

namespace NetGen;

/// <summary>
/// Builds the weights of a <see cref="NetworkAttribute"/> network into the assembly, read at compile time from a model
/// file: a NetGen weight file (<c>.ngw</c>, saved by <see cref="Serialization.WeightFile"/>) or an ONNX model. By
/// default the network is <see cref="Frozen"/>: an inference-only type whose static <c>Forward</c> and <c>Predict</c>
/// read the weights from read-only data in the assembly, with no file to ship, nothing to load and no start-up cost.
/// </summary>
/// <remarks>
/// <para>
/// List the file as an <c>AdditionalFiles</c> item of the project, e.g.
/// <c>&lt;AdditionalFiles Include="models/iris.ngw" /&gt;</c>; the NetGen package's build step passes its bytes to the
/// generator. The file's layers must equal the declared ones (its loss may differ: weights do not depend on it).
/// </para>
/// <para>
/// A missing, unreadable, corrupt or mismatched file is a compile-time error at this attribute (NG0015–NG0019 in
/// docs/diagnostics.md), so a build never ships a network without its weights.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [Network(4, Loss = Loss.CrossEntropy)]
/// [Dense(8, Activation.ReLU)]
/// [Dense(3, Activation.Softmax)]
/// [WeightsFile("models/iris.ngw")]
/// public static partial class IrisModel { }
///
/// int species = IrisModel.Predict(features);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class WeightsFileAttribute : Attribute
{
    /// <summary>Names the model file whose weights the network gets.</summary>
    /// <param name="path">
    /// The file's path as listed in the project's <c>AdditionalFiles</c>, relative to the project directory (for
    /// example <c>models/iris.ngw</c>); it is matched against the end of each item's full path.
    /// </param>
    public WeightsFileAttribute(string path) => Path = path;

    /// <summary>The model file's path, as given to the constructor.</summary>
    public string Path { get; }

    /// <summary>
    /// Whether the generated type is inference-only with compiled-in weights (<see langword="true"/>, the default), or
    /// a trainable network whose parameterless constructor starts from the file's weights (<see langword="false"/>).
    /// </summary>
    public bool Frozen { get; set; } = true;
}
