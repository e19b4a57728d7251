namespace NetGen.Samples.OnnxExport;

/// <summary>
/// samples/Classify's <c>IrisModel</c>, declared again: 4 standardised measurements in, 8 ReLU units, 3 class
/// probabilities out. The declaration must stay the same as Classify's, because <c>iris.ngw</c> loads only into a
/// network of the architecture it records (<c>4-8(ReLU)-3(Softmax), CrossEntropy</c>).
/// </summary>
[Network(4, Loss = Loss.CrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisModel
{
    /// <summary>The classes, in the order of the network's outputs (and of the labels in <c>iris.csv</c>).</summary>
    public static readonly string[] ClassNames = ["setosa", "versicolor", "virginica"];
}
