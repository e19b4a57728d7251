#nullable disable
// docs/unity.md section 4, the MonoBehaviour that trains at Start and runs every frame; .ci/mono.sh checks that the
// lines below are the page's, and Checks.UnityPageSample plays it on Mono (MonoBehaviour.cs stands in for Unity's).
// docs/unity.md, verbatim from here:
using NetGen.Training;
using UnityEngine;

public sealed class XorBehaviour : MonoBehaviour
{
    private static readonly float[][] Inputs = { new float[] { 0, 0 }, new float[] { 0, 1 }, new float[] { 1, 0 }, new float[] { 1, 1 } };
    private static readonly float[][] Targets = { new float[] { 0 }, new float[] { 1 }, new float[] { 1 }, new float[] { 0 } };

    public bool a, b;          // set them in the Inspector while playing
    public float result;       // the network's answer, shown in the Inspector

    private XorNet network;
    private Optimizer optimizer;
    private readonly float[] input = new float[XorNet.InputCount];
    private readonly float[] output = new float[XorNet.OutputCount];
    private int next;

    private void Start()
    {
        network = new XorNet(seed: 1);
        optimizer = new Sgd(XorNet.ParameterCount, learningRate: 0.5, momentum: 0.9);
        for (int epoch = 0; epoch < 1000; epoch++)
        {
            for (int i = 0; i < Inputs.Length; i++)
            {
                Trainer.TrainStep(network, optimizer, Inputs[i], Targets[i]);   // Backward, then a step
            }
        }
    }

    private void Update()
    {
        // Optional: keep learning, a few samples per frame.
        for (int k = 0; k < 4; k++)
        {
            Trainer.TrainStep(network, optimizer, Inputs[next], Targets[next]);
            next = (next + 1) % Inputs.Length;
        }

        input[0] = a ? 1 : 0;
        input[1] = b ? 1 : 0;
        network.Forward(input, output);
        result = output[0];
    }
}
