namespace NetGen.Samples.PyTorchImport;

/// <summary>
/// The PyTorch model of <c>tools/pytorch/train_iris.py</c>, <c>nn.Sequential(nn.Linear(4, 16), nn.ReLU(),
/// nn.Linear(16, 3), nn.Softmax(dim=1))</c>, compiled from its ONNX export: 4 standardised measurements in, 3 class
/// probabilities out. The generator reads <c>models/iris.onnx</c> (an <c>AdditionalFiles</c> item of the project) at
/// build time and writes the layers, with the weights as constants; the program never opens the file.
/// </summary>
/// <remarks>
/// ONNX files do not record the loss a model was trained with. The script trained with <c>nn.CrossEntropyLoss</c>, so
/// <see cref="Loss.CrossEntropy"/> is named here; a frozen network is never trained, so the loss only appears in
/// <c>Architecture</c>.
/// </remarks>
[OnnxNetwork("models/iris.onnx", Loss = Loss.CrossEntropy)]
public static partial class IrisModel
{
    /// <summary>The classes, in the order of the network's outputs (and of the labels in <c>iris.csv</c>).</summary>
    public static readonly string[] ClassNames = ["setosa", "versicolor", "virginica"];
}
