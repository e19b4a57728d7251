namespace NetGen.Samples.Classify;

/// <summary>
/// The Iris network of samples/Iris: 4 standardised measurements in, 8 ReLU units, 3 class probabilities out.
/// </summary>
[Network(4, Loss = Loss.CrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisModel
{
    /// <summary>The classes, in the order of the network's outputs (and of the labels in <c>iris.csv</c>).</summary>
    public static readonly string[] ClassNames = ["setosa", "versicolor", "virginica"];
}
