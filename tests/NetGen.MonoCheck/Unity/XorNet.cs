#nullable disable
// docs/unity.md section 3, the declaration, as a Unity user writes it (C# 9, global namespace, no nullable
// annotations); .ci/mono.sh checks that the lines below are the page's. Run on Mono by Checks.UnityPageSample.
// docs/unity.md, verbatim from here:
using NetGen;

[Network(2, Loss = Loss.MeanSquaredError)]   // 2 inputs
[Dense(4, Activation.Tanh)]                   // hidden layer
[Dense(1, Activation.Sigmoid)]                // output layer
public partial class XorNet { }
