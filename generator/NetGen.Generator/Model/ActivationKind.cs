namespace NetGen.Generator.Model;

/// <summary>Mirror of the runtime's <c>NetGen.Activation</c> (same names and values; a test keeps them in step).</summary>
internal enum ActivationKind
{
    Identity = 0,
    Step = 1,
    Sigmoid = 2,
    Tanh = 3,
    ReLU = 4,
    LeakyReLU = 5,
    Softmax = 6,
}

/// <summary>Mirror of the runtime's <c>NetGen.Loss</c> (same names and values; a test keeps them in step).</summary>
internal enum LossKind
{
    MeanSquaredError = 0,
    BinaryCrossEntropy = 1,
    CrossEntropy = 2,
}
