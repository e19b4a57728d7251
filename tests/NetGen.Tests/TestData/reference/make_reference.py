#!/usr/bin/python3
"""Writes reference.json: PyTorch's outputs, losses and gradients for NetGen's reference networks.

Run from anywhere with a Python that has PyTorch (Debian's python3-torch):

    /usr/bin/python3 tests/NetGen.Tests/TestData/reference/make_reference.py

The networks below must be declared identically (same name, inputs, layers, loss) as [Network] classes in
tests/NetGen.Tests/ReferenceNetworks.cs; ReferenceValueTests.cs checks NetGen against this file.
Everything is float32 and seeded, so a rerun with the same PyTorch writes the same file.
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

SEED = 20240531
SAMPLES_PER_NETWORK = 4

# Pre-activations of Step, ReLU and LeakyReLU units must stay at least this far from the kink at 0, so that a
# last-bit difference between PyTorch's and NetGen's float32 sums cannot flip a unit's branch (which would be a
# difference of summation order, not of behaviour). Samples too close to a kink are redrawn.
KINK_MARGIN = 1e-3

# Sigmoid outputs feeding BinaryCrossEntropy must stay away from 0 and 1: there ln(1 - y) turns a one-ulp difference
# between two sigmoid implementations into a visible loss difference, and NetGen's fused logit gradient (y - t)/n
# (NetGen.Numerics.Losses) deliberately departs from BCELoss∘sigmoid, whose gradient vanishes once y(1 - y) < 1e-12
# or y rounds to 1. |logit| <= 8 keeps min(y, 1 - y) >= 3.3e-4. See README.md.
BCE_MAX_LOGIT = 8.0

# (name, inputs, [(units, activation)], loss, target kind[, weight scale]). Names are the C# class names.
NETWORKS = [
    # One Step neuron trained with MSE: Rosenblatt's perceptron (straight-through derivative).
    ("RefPerceptronStepMse", 5, [(1, "Step")], "MeanSquaredError", "binary"),
    # Linear regression: one Identity layer, several outputs.
    ("RefLinearIdentityMse", 6, [(3, "Identity")], "MeanSquaredError", "real"),
    # The design document's SeedNet: Sigmoid hidden layer, Softmax + CrossEntropy with one-hot targets.
    ("RefSigmoidSoftmaxCrossEntropy", 3, [(4, "Sigmoid"), (2, "Softmax")], "CrossEntropy", "onehot"),
    # Small regression MLP: unrolled ReLU hidden layer, LeakyReLU outputs trained with MSE.
    ("RefReluLeakyMse", 3, [(8, "ReLU"), (2, "LeakyReLU")], "MeanSquaredError", "real"),
    # Linear bottleneck (Identity hidden layer) and Sigmoid outputs trained with MSE.
    ("RefLinearBottleneckSigmoidMse", 5, [(3, "Identity"), (4, "Sigmoid")], "MeanSquaredError", "unit"),
    # Multi-label head: Tanh hidden layer, Sigmoid outputs, BinaryCrossEntropy with targets in [0, 1].
    ("RefTanhSigmoidBce", 4, [(5, "Tanh"), (3, "Sigmoid")], "BinaryCrossEntropy", "unit"),
    # Three unrolled layers: LeakyReLU, Step, then Softmax trained with MSE (Softmax Jacobian in backward).
    ("RefLeakyStepSoftmaxMse", 4, [(6, "LeakyReLU"), (5, "Step"), (3, "Softmax")], "MeanSquaredError", "distribution"),
    # Wide: 40x24 ReLU (960 multiply-adds) and 24x16 Tanh (384) are loop-shaped, the 16x5 Softmax head (80) unrolled;
    # CrossEntropy with soft (probability) targets.
    ("RefWideReluTanhSoftmaxCrossEntropy", 40, [(24, "ReLU"), (16, "Tanh"), (5, "Softmax")], "CrossEntropy", "distribution"),
    # Unrolled -> loop -> unrolled: 6x20 Step (120, unrolled into a span), 20x24 LeakyReLU (480, loop),
    # 24x2 Sigmoid (48, unrolled); BinaryCrossEntropy.
    ("RefMixedStepLeakySigmoidBce", 6, [(20, "Step"), (24, "LeakyReLU"), (2, "Sigmoid")], "BinaryCrossEntropy", "unit"),
    # Loop-shaped Step (40x24) and loop-shaped Softmax (24x8 = 192) trained with MSE.
    ("RefWideStepSoftmaxMse", 40, [(24, "Step"), (8, "Softmax")], "MeanSquaredError", "onehot"),
    # All loop-shaped: Sigmoid (40x24), Identity (24x12 = 288) as a hidden layer, ReLU outputs (12x12 = 144); MSE.
    ("RefWideSigmoidIdentityReluMse", 40, [(24, "Sigmoid"), (12, "Identity"), (12, "ReLU")], "MeanSquaredError", "real"),
    # All loop-shaped: Tanh (40x24), LeakyReLU (24x16 = 384), Tanh outputs (16x9 = 144) trained with MSE.
    ("RefWideTanhLeakyTanhMse", 40, [(24, "Tanh"), (16, "LeakyReLU"), (9, "Tanh")], "MeanSquaredError", "real"),
    # Large weights (x40): logits of +-100 and more. Softmax must subtract the maximum and CrossEntropy go through
    # log-sum-exp, or exp overflows.
    ("RefLargeLogitsSoftmaxCrossEntropy", 3, [(5, "Softmax")], "CrossEntropy", "onehot", 40.0),
    # Large weights (x30): Tanh saturates to +-1 and Sigmoid sees |x| up to ~100, so e^-x must not overflow.
    ("RefLargeLogitsTanhSigmoidMse", 4, [(3, "Tanh"), (3, "Sigmoid")], "MeanSquaredError", "unit", 30.0),
]


class StepStraightThrough(torch.autograd.Function):
    """NetGen's Step: forward (x > 0) as float, backward passes the gradient through unchanged."""

    @staticmethod
    def forward(ctx, x):
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def activate(name, z):
    if name == "Identity":
        return z
    if name == "Step":
        return StepStraightThrough.apply(z)
    if name == "Sigmoid":
        return torch.sigmoid(z)
    if name == "Tanh":
        return torch.tanh(z)
    if name == "ReLU":
        return F.relu(z)
    if name == "LeakyReLU":
        return F.leaky_relu(z, negative_slope=0.01)
    if name == "Softmax":
        return F.softmax(z, dim=-1)
    raise ValueError(name)


def weight_bound(fan_in):
    # uniform(-1, 1) for small layers; for wide ones shrink the range so pre-activations stay O(1) (tanh, sigmoid and
    # softmax do not saturate and every unit stays informative). Biases use the same range and are never zero.
    return min(1.0, 3.0 / math.sqrt(fan_in))


def make_layers(inputs, layers, scale):
    linears = []
    fan_in = inputs
    for units, _ in layers:
        linear = torch.nn.Linear(fan_in, units, dtype=torch.float32)
        bound = weight_bound(fan_in) * scale
        with torch.no_grad():
            linear.weight.uniform_(-bound, bound)
            linear.bias.uniform_(-bound, bound)
        linears.append(linear)
        fan_in = units
    return linears


def forward(linears, layers, x):
    """Returns (output, last pre-activation, every pre-activation) for a batch of one."""
    pre_activations = []
    h = x
    for linear, (_, activation) in zip(linears, layers):
        z = linear(h)
        pre_activations.append((activation, z))
        h = activate(activation, z)
    return h, z, pre_activations


def make_target(kind, units):
    if kind == "real":
        return torch.empty(units).uniform_(-1.5, 1.5)
    if kind == "binary":
        return torch.randint(0, 2, (units,)).to(torch.float32)
    if kind == "unit":
        return torch.rand(units)
    if kind == "onehot":
        return F.one_hot(torch.randint(0, units, ()), units).to(torch.float32)
    if kind == "distribution":
        return F.softmax(torch.randn(units) * 1.5, dim=0)
    raise ValueError(kind)


def loss_of(loss, output, logits, target):
    if loss == "MeanSquaredError":
        return F.mse_loss(output, target)
    if loss == "BinaryCrossEntropy":
        return F.binary_cross_entropy(output, target)
    if loss == "CrossEntropy":
        # Probability targets, batch of one: -sum t * log_softmax(z).
        return F.cross_entropy(logits, target)
    raise ValueError(loss)


def well_conditioned(pre_activations, loss):
    for activation, z in pre_activations:
        if activation in ("Step", "ReLU", "LeakyReLU") and z.abs().min().item() < KINK_MARGIN:
            return False
    _, last_z = pre_activations[-1]
    if loss == "BinaryCrossEntropy" and last_z.abs().max().item() > BCE_MAX_LOGIT:
        return False
    return True


def floats(tensor):
    values = tensor.detach().reshape(-1).tolist()
    for value in values:
        if not math.isfinite(value):
            raise ValueError("non-finite value in reference data")
    return values


def flat_gradients(linears):
    parts = []
    for linear in linears:  # nn.Linear state_dict order: weight [out, in] row-major, then bias
        parts.append(linear.weight.grad.reshape(-1))
        parts.append(linear.bias.grad.reshape(-1))
    return torch.cat(parts)


def draw_samples(name, linears, inputs, layers, loss, target_kind):
    samples = []
    step_patterns = set()
    attempts = 0
    while len(samples) < SAMPLES_PER_NETWORK:
        attempts += 1
        if attempts > 200:
            raise RuntimeError(f"{name}: could not draw well-conditioned samples")
        x = torch.empty(1, inputs).uniform_(-1, 1)
        target = make_target(target_kind, layers[-1][0]).unsqueeze(0)
        for linear in linears:
            linear.zero_grad(set_to_none=True)
        output, logits, pre_activations = forward(linears, layers, x)
        if not well_conditioned(pre_activations, loss):
            continue
        value = loss_of(loss, output, logits, target)
        value.backward()
        step_patterns.add(tuple(tuple((z > 0).reshape(-1).tolist()) for a, z in pre_activations if a == "Step"))
        samples.append({
            "input": floats(x),
            "target": floats(target),
            "output": floats(output),
            "loss": float(value.item()),
            "gradients": floats(flat_gradients(linears)),
        })
    return samples, len(step_patterns)


def reference_for(name, inputs, layers, loss, target_kind, scale=1.0):
    for _ in range(100):
        linears = make_layers(inputs, layers, scale)
        samples, step_patterns = draw_samples(name, linears, inputs, layers, loss, target_kind)
        # A Step layer that fires identically for every sample makes the layers after it see one constant input;
        # redraw the network until the samples exercise different Step patterns.
        if step_patterns >= 2 or all(activation != "Step" for _, activation in layers):
            break
    else:
        raise RuntimeError(f"{name}: every sample gives the same Step pattern")

    parameters = torch.cat([t.detach().reshape(-1) for l in linears for t in (l.weight, l.bias)])
    state_dict_parameters = torch.cat([t.reshape(-1) for m in linears for t in m.state_dict().values()])
    assert torch.equal(parameters, state_dict_parameters)
    return {
        "name": name,
        "inputs": inputs,
        "layers": [{"units": units, "activation": activation} for units, activation in layers],
        "loss": loss,
        "parameterCount": parameters.numel(),
        "parameters": floats(parameters),
        "samples": samples,
    }


def to_json(value, indent=""):
    """JSON with one key per line but every list of numbers on a single line (compact, still diffable)."""
    inner = indent + "  "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key)}: {to_json(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and all(isinstance(item, (int, float)) for item in value):
        return "[" + ", ".join(json.dumps(item, allow_nan=False) for item in value) + "]"
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + to_json(item, inner) for item in value) + "\n" + indent + "]"
    return json.dumps(value, allow_nan=False)


def main():
    torch.manual_seed(SEED)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # one summation order, run after run
    document = {
        "format": "netgen-reference-values/1",
        "description": "PyTorch float32 outputs, losses and per-sample gradients for NetGen's reference networks; "
                       "parameters and gradients in nn.Linear state_dict order (per layer W [units, inputs] "
                       "row-major, then b). Written by make_reference.py; do not edit by hand.",
        "torch": torch.__version__,
        "seed": SEED,
        "networks": [reference_for(*network) for network in NETWORKS],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        # json.dumps writes floats with repr(), the shortest text that round-trips; each value is a float32 widened
        # to double, so parsing it as float32 gives back PyTorch's exact value.
        file.write(to_json(document))
        file.write("\n")
    print(f"wrote {path}: {len(document['networks'])} networks x {SAMPLES_PER_NETWORK} samples", file=sys.stderr)


if __name__ == "__main__":
    main()
