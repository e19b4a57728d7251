// Declared networks in the same C# 9 netstandard2.1 library (PackageConsumerTests): the generator writes the portable
// code for them, and the frozen one takes its weights from a weight file through the package's build step
// (build/netstandard2.1/NetGen.targets).
using NetGen;

namespace Game
{
    [Network(2, Loss = Loss.BinaryCrossEntropy)]
    [Dense(4, Activation.Tanh)]
    [Dense(1, Activation.Sigmoid)]
    public partial class XorNet { }

    [Network(4, Loss = Loss.CrossEntropy)]
    [Dense(8, Activation.ReLU)]
    [Dense(3, Activation.Softmax)]
    [WeightsFile("iris.ngw")]
    public static partial class FrozenIris { }

    [Network(6, Loss = Loss.CrossEntropy, MaxSteps = 32)]
    [Gru(8)]
    [Dense(4, Activation.Softmax)]
    public partial class Gesture { }

    public static class Uses
    {
        /// <summary>Touches each network's members, so that the library compiles against what the generator wrote.</summary>
        public static float Run()
        {
            var xor = new XorNet(1);
            float[] output = new float[1];
            xor.Forward(new float[] { 0, 1 }, output);
            var gesture = new Gesture();
            Gesture.State state = default;
            float[] classes = new float[Gesture.OutputCount];
            gesture.Step(ref state, new float[Gesture.InputCount], classes);
            return output[0] + classes[0] + FrozenIris.Predict(new float[] { 5.1f, 3.5f, 1.4f, 0.2f }) + ((INetwork)xor).ParameterCount;
        }
    }
}
