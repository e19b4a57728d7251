#!/usr/bin/python3
"""Writes sequence_reference.json: PyTorch's outputs, losses and gradients for NetGen's recurrent reference networks.

Run from anywhere with a Python that has PyTorch (Debian's python3-torch):

    /usr/bin/python3 tests/NetGen.Tests/TestData/reference/make_sequence_reference.py

The networks below must be declared identically (same name, inputs, layers, loss, MaxSteps) as [Network] classes in
tests/NetGen.Tests/SequenceReferenceNetworks.cs; SequenceReferenceValueTests.cs checks NetGen against this file.
Everything is float32, seeded and single-threaded, so a rerun with the same PyTorch writes the same file.

Semantics (design section 1b): every recurrent layer is its own nn.GRU / nn.LSTM / nn.RNN (num_layers=1,
batch_first=True, bias=True, zero initial state), each reading the full hidden sequence of the one before; the dense
layers (nn.Linear + activation) read the last step's hidden state of the last recurrent layer (many-to-one). The loss
is that of one sample (one sequence), and each sample gets its own backward pass.

Before writing, the script checks its own numbers (any failure aborts without writing):
  * an independent float64 implementation of the documented cell equations, reading NetGen's flat parameter layout,
    reproduces the float64 PyTorch model (so the layout and the gate equations are the ones NetGen implements);
  * central finite differences of that float64 implementation, for every parameter of every sample, agree with
    PyTorch's float32 autograd gradients;
  * PyTorch's float32 outputs, prefix outputs, losses and gradients lie within a fraction of the C# tests' tolerance
    of the same model evaluated in float64 (the rounding budget the tolerance must cover; see README.md).
"""

import copy
import json
import math
import os
import sys
from fractions import Fraction

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240607

# The tolerance SequenceReferenceChecks.cs (SequenceReferenceValueTests) applies (|NetGen - PyTorch| <= ABSOLUTE + RELATIVE * |PyTorch|).
# The script asserts that PyTorch's own float32 rounding (float32 vs float64 of the same model) stays within
# ROUNDING_SHARE of it, so that an implementation rounding no worse than PyTorch passes with room to spare.
ABSOLUTE_TOLERANCE = 5e-6
RELATIVE_TOLERANCE = 5e-5
ROUNDING_SHARE = 0.25

# Pre-activations of ReLU and LeakyReLU units (recurrent ReLU cells at every step, and dense heads on every prefix)
# must stay at least this far from the kink at 0, so that a rounding difference between PyTorch's and NetGen's
# float32 sums cannot flip a unit's branch. Samples too close to a kink are redrawn (as in make_reference.py, whose
# margin is 1e-3; with 64 ReLU cells x 50 steps = 3200 pre-activations per sample, 1e-3 rejects nearly every draw).
# The script asserts that float32 rounding moves no such pre-activation by more than a tenth of the margin.
KINK_MARGIN = 1e-4

# Sigmoid outputs feeding BinaryCrossEntropy must stay away from 0 and 1 (see make_reference.py and README.md):
# |logit| <= 8 keeps min(y, 1 - y) >= 3.3e-4.
BCE_MAX_LOGIT = 8.0

# Finite differences: central, in float64, step FD_STEP on one parameter at a time.
FD_STEP = 1e-6
# |float32 autograd - float64 finite difference| must stay below this (it measures float32 rounding plus the
# O(FD_STEP^2) truncation error; a wrong derivative or layout is off by orders of magnitude more).
FD_ABSOLUTE = 1e-5
FD_RELATIVE = 1e-4

DEFAULT_STEPS = (1, 2, 5, 17, 50)

# (name, inputs, layers, loss, target kind, options). Names are the C# class names. A layer is
# ("Gru" | "Lstm", units), ("Rnn", units, "Tanh" | "ReLU") or ("Dense", units, activation); recurrent layers first.
# Options: "steps" (one sample per length), "scale" (factor on the recurrent layers' PyTorch default initialisation
# U(+-1/sqrt(units))), "input" (inputs are uniform in +-input), "maxSteps" (the declared [Network] MaxSteps).
NETWORKS = [
    # The design document's example: 6 features per step, GRU(32) (96x38 gate rows: loop-shaped), Softmax head.
    ("RefGruSoftmaxCrossEntropy", 6, [("Gru", 32), ("Dense", 4, "Softmax")], "CrossEntropy", "distribution",
     {"steps": (1, 2, 6, 19, 50), "scale": 2.0}),
    # LSTM with a multi-label Sigmoid head.
    ("RefLstmSigmoidBce", 5, [("Lstm", 16), ("Dense", 3, "Sigmoid")], "BinaryCrossEntropy", "unit",
     {"steps": (1, 2, 4, 13, 50), "scale": 2.0}),
    # Elman RNN, Tanh, linear regression head.
    ("RefRnnTanhIdentityMse", 3, [("Rnn", 12, "Tanh"), ("Dense", 2, "Identity")], "MeanSquaredError", "real",
     {"steps": (1, 2, 3, 11, 50), "scale": 2.0}),
    # Elman RNN, ReLU, then a LeakyReLU hidden dense layer and Tanh outputs.
    ("RefRnnReluLeakyTanhMse", 4, [("Rnn", 10, "ReLU"), ("Dense", 6, "LeakyReLU"), ("Dense", 2, "Tanh")],
     "MeanSquaredError", "real", {"steps": (1, 2, 7, 23, 50), "scale": 1.5}),
    # Stacked GRU -> GRU, ReLU hidden dense layer, Softmax outputs trained with MSE (softmax Jacobian).
    ("RefGruGruReluSoftmaxMse", 2, [("Gru", 8), ("Gru", 5), ("Dense", 6, "ReLU"), ("Dense", 3, "Softmax")],
     "MeanSquaredError", "distribution", {"steps": (1, 2, 5, 16, 50), "scale": 2.0}),
    # Stacked LSTM -> GRU, Softmax + CrossEntropy with one-hot targets; MaxSteps = 50, so the 50-step sample is
    # exactly the longest sequence Backward accepts.
    ("RefLstmGruSoftmaxCrossEntropy", 7, [("Lstm", 10), ("Gru", 16), ("Dense", 5, "Softmax")], "CrossEntropy",
     "onehot", {"steps": (1, 2, 8, 29, 50), "scale": 2.0, "maxSteps": 50}),
    # Stacked RNN(ReLU) -> LSTM, Sigmoid outputs trained with MSE.
    ("RefRnnReluLstmSigmoidMse", 3, [("Rnn", 9, "ReLU"), ("Lstm", 6), ("Dense", 2, "Sigmoid")], "MeanSquaredError",
     "unit", {"steps": (1, 2, 5, 14, 50), "scale": 1.5}),
    # Three stacked kinds, GRU -> RNN(Tanh) -> LSTM, a Sigmoid hidden dense layer, BinaryCrossEntropy.
    ("RefGruRnnLstmSigmoidBce", 4, [("Gru", 6), ("Rnn", 5, "Tanh"), ("Lstm", 4), ("Dense", 4, "Sigmoid"),
                                    ("Dense", 2, "Sigmoid")], "BinaryCrossEntropy", "unit",
     {"steps": (1, 2, 6, 21, 50), "scale": 2.0}),
    # One unit everywhere: one feature, GRU(1), one linear output.
    ("RefGru1IdentityMse", 1, [("Gru", 1), ("Dense", 1, "Identity")], "MeanSquaredError", "real",
     {"steps": (1, 2, 3, 9, 50), "input": 2.0}),
    # LSTM(1) with a single Sigmoid output, BinaryCrossEntropy.
    ("RefLstm1SigmoidBce", 2, [("Lstm", 1), ("Dense", 1, "Sigmoid")], "BinaryCrossEntropy", "unit",
     {"steps": (1, 2, 4, 10, 50), "scale": 2.0}),
    # One-unit Elman layers stacked, Tanh then ReLU, and a one-unit ReLU output trained with MSE.
    ("RefRnn1TanhRnn1ReluMse", 1, [("Rnn", 1, "Tanh"), ("Rnn", 1, "ReLU"), ("Dense", 1, "ReLU")],
     "MeanSquaredError", "real", {"steps": (1, 2, 5, 12, 50), "input": 2.0}),
    # 64 units and 13 features: GRU(64) (192x77 gate rows), Tanh hidden dense layer, ten-way Softmax head. Only three
    # samples, as its 16k gradients per sample dominate the file (the 50-step sample's prefix outputs cover the
    # lengths in between for Forward and Step).
    ("RefGru64TanhSoftmaxCrossEntropy", 13, [("Gru", 64), ("Dense", 16, "Tanh"), ("Dense", 10, "Softmax")],
     "CrossEntropy", "distribution", {"steps": (1, 2, 50), "scale": 1.5}),
    # 64 ReLU Elman units (kinks at every step) feeding an LSTM, Identity hidden dense layer, LeakyReLU outputs.
    ("RefRnnRelu64LstmLeakyMse", 13, [("Rnn", 64, "ReLU"), ("Lstm", 8), ("Dense", 4, "Identity"),
                                      ("Dense", 3, "LeakyReLU")], "MeanSquaredError", "real",
     {"steps": (1, 2, 9, 50), "scale": 2.0}),
    # Large recurrent weights (x5) and inputs (+-3): LSTM gates saturate towards 0 and 1 and tanh towards +-1.
    ("RefSaturatedLstmTanhMse", 3, [("Lstm", 8), ("Dense", 2, "Tanh")], "MeanSquaredError", "real",
     {"steps": (1, 2, 5, 18, 50), "scale": 5.0, "input": 3.0}),
]

RECURRENT = ("Gru", "Lstm", "Rnn")
GATES = {"Gru": 3, "Lstm": 4, "Rnn": 1}


def activate(name, z):
    if name == "Identity":
        return z
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


def dense_bound(fan_in):
    # As make_reference.py: uniform(-1, 1), shrunk for wide layers so pre-activations stay O(1); biases likewise.
    return min(1.0, 3.0 / math.sqrt(fan_in))


class SequenceModel(torch.nn.Module):
    """NetGen's sequence network in PyTorch: one module per recurrent layer, then nn.Linear layers on the last step."""

    def __init__(self, inputs, layers, scale):
        super().__init__()
        self.kinds = [layer for layer in layers if layer[0] in RECURRENT]
        self.heads = [layer for layer in layers if layer[0] == "Dense"]
        assert layers == self.kinds + self.heads and self.kinds and self.heads, "recurrent layers first, then dense"
        self.recurrent = torch.nn.ModuleList()
        self.dense = torch.nn.ModuleList()
        features = inputs
        for layer in self.kinds:
            kind, units = layer[0], layer[1]
            if kind == "Gru":
                module = torch.nn.GRU(features, units, num_layers=1, bias=True, batch_first=True)
            elif kind == "Lstm":
                module = torch.nn.LSTM(features, units, num_layers=1, bias=True, batch_first=True)
            else:
                module = torch.nn.RNN(features, units, num_layers=1, nonlinearity=layer[2].lower(), bias=True,
                                      batch_first=True)
            with torch.no_grad():  # PyTorch's default U(+-1/sqrt(units)), times the network's scale
                for parameter in module.parameters():
                    parameter.mul_(scale)
            self.recurrent.append(module)
            features = units
        for _, units, _ in self.heads:
            linear = torch.nn.Linear(features, units)
            bound = dense_bound(features)
            with torch.no_grad():
                linear.weight.uniform_(-bound, bound)
                linear.bias.uniform_(-bound, bound)
            self.dense.append(linear)
            features = units

    def hidden_sequence(self, sequence):
        """[1, steps, inputs] -> every recurrent layer's hidden sequence [1, steps, units]."""
        hidden = []
        h = sequence
        for module in self.recurrent:
            h, _ = module(h)  # zero initial state
            hidden.append(h)
        return hidden

    def head(self, h):
        """Dense layers on hidden states [..., units]: (output, last pre-activation, every pre-activation)."""
        pre_activations = []
        z = None
        for linear, (_, _, activation) in zip(self.dense, self.heads):
            z = linear(h)
            pre_activations.append((activation, z))
            h = activate(activation, z)
        return h, z, pre_activations

    def forward(self, sequence):
        """[1, steps, inputs] -> (output [1, outputs], logits [1, outputs]) from the last step's hidden state."""
        last = self.hidden_sequence(sequence)[-1][:, -1, :]
        output, logits, _ = self.head(last)
        return output, logits


def loss_of(loss, output, logits, target):
    if loss == "MeanSquaredError":
        return F.mse_loss(output, target)
    if loss == "BinaryCrossEntropy":
        return F.binary_cross_entropy(output, target)  # log clamped at -100
    if loss == "CrossEntropy":
        return F.cross_entropy(logits, target)  # probability targets, batch of one: -sum t * log_softmax(z)
    raise ValueError(loss)


def make_target(kind, units):
    if kind == "real":
        return torch.empty(units).uniform_(-1.5, 1.5)
    if kind == "unit":
        return torch.rand(units)
    if kind == "onehot":
        return F.one_hot(torch.randint(0, units, ()), units).to(torch.float32)
    if kind == "distribution":
        return F.softmax(torch.randn(units) * 1.5, dim=0)
    raise ValueError(kind)


def parameter_names(model):
    names = []
    for index, _ in enumerate(model.recurrent):
        names += [f"recurrent.{index}.{n}" for n in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")]
    for index, _ in enumerate(model.dense):
        names += [f"dense.{index}.weight", f"dense.{index}.bias"]
    return names


def flat_parameters(model):
    state = model.state_dict()
    assert list(state.keys()) == parameter_names(model), list(state.keys())
    assert [n for n, _ in model.named_parameters()] == list(state.keys())
    return torch.cat([t.reshape(-1) for t in state.values()])


def flat_gradients(model):
    return torch.cat([p.grad.reshape(-1) for _, p in model.named_parameters()])


# ---------------------------------------------------------------------------------------------------------------------
# Conditioning: keep every kink and the BCE logits at a safe distance, and make every ReLU unit do something.

def relu_pre_activations(model, sequence):
    """Every ReLU / LeakyReLU pre-activation the sample computes, as (activation, recurrent?, z [steps, units]):
    recurrent ReLU cells at every step, and the dense layers on every step's hidden state (= on every prefix, the
    outputs Step produces). Also returns the last dense layer's pre-activations on every prefix."""
    found = []
    with torch.no_grad():
        hidden = model.hidden_sequence(sequence)
        features = sequence
        for module, layer, h in zip(model.recurrent, model.kinds, hidden):
            if layer[0] == "Rnn" and layer[2] == "ReLU":
                # Recompute the cell's pre-activations from its inputs and its previous hidden states.
                previous = torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], dim=1)
                z = (features @ module.weight_ih_l0.T + module.bias_ih_l0
                     + previous @ module.weight_hh_l0.T + module.bias_hh_l0)
                found.append(("ReLU", True, z[0]))
            features = h
        _, last_z, pre_activations = model.head(hidden[-1])
        found += [(activation, False, z[0]) for activation, z in pre_activations
                  if activation in ("ReLU", "LeakyReLU")]
    return found, last_z[0]


def well_conditioned(model, sequence, loss):
    found, last_z = relu_pre_activations(model, sequence)
    if any(z.abs().min().item() < KINK_MARGIN for _, _, z in found):
        return False
    # Only the full sequence's output enters the loss.
    return not (loss == "BinaryCrossEntropy" and last_z[-1].abs().max().item() > BCE_MAX_LOGIT)


# ---------------------------------------------------------------------------------------------------------------------
# An independent float64 implementation of the documented equations (design 1b, GruAttribute/LstmAttribute/
# RnnAttribute), reading NetGen's flat parameter layout. It evaluates a batch of rows at once; row b uses the base
# parameters with parameter index[b] changed by delta[b] (index -1: unchanged), which is all finite differences need.

def manual_loss(layers, inputs, loss, base, sequence, target, index, delta):
    """base [P], sequence [steps, inputs], target [outputs], index/delta [B] (float64)
    -> (loss [B], output [B, outputs])."""
    batch = index.numel()
    offset = 0

    def block(*shape):
        """The next parameter block in layout order, and the batch rows that perturb it (with their local index)."""
        nonlocal offset
        count = math.prod(shape)
        values = base[offset:offset + count].reshape(shape)
        local = index - offset
        rows = ((local >= 0) & (local < count)).nonzero().squeeze(1)
        offset += count
        return values, rows, local[rows]

    def affine(v, weight, bias):
        """v [B, in] -> v W^T + b [B, out], each row with its own perturbed weight or bias element."""
        (w, w_rows, w_local), (b, b_rows, b_local) = weight, bias
        columns = w.shape[1]
        out = v @ w.T + b
        out[w_rows, w_local // columns] += delta[w_rows] * v[w_rows, w_local % columns]
        out[b_rows, b_local] += delta[b_rows]
        return out

    steps = sequence.shape[0]
    xs = sequence.unsqueeze(0).expand(batch, steps, inputs)
    features = inputs
    recurrent = [layer for layer in layers if layer[0] in RECURRENT]
    for number, layer in enumerate(recurrent):
        kind, units = layer[0], layer[1]
        gates = GATES[kind] * units
        w_ih, w_hh, b_ih, b_hh = block(gates, features), block(gates, units), block(gates), block(gates)
        h = torch.zeros(batch, units, dtype=torch.float64)
        c = torch.zeros(batch, units, dtype=torch.float64)
        hs = []
        for t in range(steps):
            gi = affine(xs[:, t, :], w_ih, b_ih)  # W_ih x + b_ih, every gate
            gh = affine(h, w_hh, b_hh)  # W_hh h + b_hh, every gate
            if kind == "Gru":  # gates r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
                r = torch.sigmoid(gi[:, :units] + gh[:, :units])
                z = torch.sigmoid(gi[:, units:2 * units] + gh[:, units:2 * units])
                n = torch.tanh(gi[:, 2 * units:] + r * gh[:, 2 * units:])
                h = (1 - z) * n + z * h
            elif kind == "Lstm":  # gates i, f, g, o
                i = torch.sigmoid(gi[:, :units] + gh[:, :units])
                f = torch.sigmoid(gi[:, units:2 * units] + gh[:, units:2 * units])
                g = torch.tanh(gi[:, 2 * units:3 * units] + gh[:, 2 * units:3 * units])
                o = torch.sigmoid(gi[:, 3 * units:] + gh[:, 3 * units:])
                c = f * c + i * g
                h = o * torch.tanh(c)
            else:
                a = gi + gh
                h = torch.tanh(a) if layer[2] == "Tanh" else torch.where(a > 0, a, torch.zeros_like(a))
            if number + 1 < len(recurrent):
                hs.append(h)
        if hs:
            xs = torch.stack(hs, dim=1)  # the next recurrent layer reads the whole hidden sequence
        features = units
    # h is now the last step's hidden state of the last recurrent layer: the dense layers' input.
    z = None
    for layer in layers:
        if layer[0] != "Dense":
            continue
        _, units, activation = layer
        weight, bias = block(units, features), block(units)
        z = affine(h, weight, bias)
        if activation == "Identity":
            h = z
        elif activation == "Sigmoid":
            h = 1 / (1 + torch.exp(-z))
        elif activation == "Tanh":
            h = torch.tanh(z)
        elif activation == "ReLU":
            h = torch.where(z > 0, z, torch.zeros_like(z))
        elif activation == "LeakyReLU":
            h = torch.where(z > 0, z, 0.01 * z)
        elif activation == "Softmax":
            e = torch.exp(z - z.max(dim=1, keepdim=True).values)
            h = e / e.sum(dim=1, keepdim=True)
        else:
            raise ValueError(activation)
        features = units
    assert offset == base.numel(), "parameter layout does not add up"
    t = target.unsqueeze(0)
    if loss == "MeanSquaredError":
        value = ((h - t) ** 2).mean(dim=1)
    elif loss == "BinaryCrossEntropy":
        value = -(t * torch.clamp(torch.log(h), min=-100) + (1 - t) * torch.clamp(torch.log(1 - h), min=-100)).mean(1)
    else:
        value = -(t * (z - torch.logsumexp(z, dim=1, keepdim=True))).sum(dim=1)
    return value, h


def manual_value(layers, inputs, loss, parameters, sequence, target):
    """The unperturbed loss and output of the independent implementation."""
    none = torch.tensor([-1])
    value, output = manual_loss(layers, inputs, loss, parameters.double(), sequence.double(), target.double(), none,
                                torch.zeros(1, dtype=torch.float64))
    return value[0], output[0]


def finite_difference_gradients(layers, inputs, loss, parameters, sequence, target):
    """Central differences of manual_loss in float64, for every parameter."""
    count = parameters.numel()
    base, x, t = parameters.double(), sequence.double(), target.double()
    gradients = torch.empty(count, dtype=torch.float64)
    chunk = 4096
    for start in range(0, count, chunk):
        indices = torch.arange(start, min(count, start + chunk))
        steps = torch.full((indices.numel(),), FD_STEP, dtype=torch.float64)
        values, _ = manual_loss(layers, inputs, loss, base, x, t, torch.cat([indices, indices]),
                                torch.cat([steps, -steps]))
        gradients[indices] = (values[:indices.numel()] - values[indices.numel():]) / (2 * FD_STEP)
    return gradients


# ---------------------------------------------------------------------------------------------------------------------

def floats(tensor):
    values = tensor.detach().to(torch.float32).reshape(-1).tolist()
    for value in values:
        if not math.isfinite(value):
            raise ValueError("non-finite value in reference data")
    return values


def rounding_error(expected64, actual32):
    """Largest |float32 - float64| as a multiple of the C# tests' tolerance."""
    e = expected64.detach().double().reshape(-1)
    a = actual32.detach().double().reshape(-1)
    return ((a - e).abs() / (ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * e.abs())).max().item()


class Statistics:
    def __init__(self):
        self.fd_max_abs = 0.0
        self.fd64_max_abs = 0.0
        self.manual_max_abs = 0.0
        self.kink_rounding = 0.0
        self.rounding = {"output": 0.0, "prefix": 0.0, "loss": 0.0, "gradient": 0.0}
        self.rounding_abs = {"output": 0.0, "prefix": 0.0, "loss": 0.0, "gradient": 0.0}


def run_sample(name, model, model64, layers, inputs, loss, sequence, target, parameters, statistics, per_network):
    steps = sequence.shape[0]
    # float32 PyTorch: output, loss, gradients (one sample, one backward).
    model.zero_grad(set_to_none=True)
    output, logits = model(sequence.unsqueeze(0))
    value = loss_of(loss, output, logits, target.unsqueeze(0))
    value.backward()
    gradients = flat_gradients(model)

    # Outputs on every prefix, each an honest forward pass on the truncated sequence.
    with torch.no_grad():
        prefix = torch.cat([model(sequence[:t].unsqueeze(0))[0] for t in range(1, steps + 1)])
        assert torch.equal(prefix[-1], output[0].detach()), f"{name}: full-sequence output differs from last prefix"
        # The head on the full hidden sequence gives the same prefix outputs (causality of the zero-state recurrence).
        all_steps, _, _ = model.head(model.hidden_sequence(sequence.unsqueeze(0))[-1])
        assert (all_steps[0] - prefix).abs().max().item() < 1e-5, f"{name}: prefix outputs are not causal"

    # float64 PyTorch: the same model, the same sample, as the "exact" values float32 rounding is measured against.
    model64.zero_grad(set_to_none=True)
    output64, logits64 = model64(sequence.double().unsqueeze(0))
    value64 = loss_of(loss, output64, logits64, target.double().unsqueeze(0))
    value64.backward()
    gradients64 = flat_gradients(model64)
    with torch.no_grad():
        prefix64 = torch.cat([model64(sequence[:t].double().unsqueeze(0))[0] for t in range(1, steps + 1)])

    # How far float32 rounding moves the ReLU pre-activations: must be far below KINK_MARGIN.
    found32, _ = relu_pre_activations(model, sequence.unsqueeze(0))
    found64, _ = relu_pre_activations(model64, sequence.double().unsqueeze(0))
    for (_, _, z32), (_, _, z64) in zip(found32, found64):
        moved = (z32.double() - z64).abs().max().item()
        statistics.kink_rounding = max(statistics.kink_rounding, moved)
        assert moved < KINK_MARGIN / 10, f"{name}: float32 rounding moves a ReLU pre-activation by {moved}"

    # The independent float64 implementation on NetGen's flat layout reproduces PyTorch's float64 output and loss.
    with torch.no_grad():
        independent_value, independent_output = manual_value(layers, inputs, loss, parameters, sequence, target)
    manual = max((independent_output - output64[0].detach()).abs().max().item(),
                 abs(independent_value.item() - value64.item()))
    assert manual < 1e-10, f"{name}: independent implementation differs from nn modules by {manual}"
    statistics.manual_max_abs = max(statistics.manual_max_abs, manual)

    # Finite differences of the independent implementation vs PyTorch's float32 (and float64) autograd gradients.
    with torch.no_grad():
        fd = finite_difference_gradients(layers, inputs, loss, parameters, sequence, target)
    fd_error = (gradients.double() - fd).abs()
    fd_allowed = FD_ABSOLUTE + FD_RELATIVE * fd.abs()
    assert bool((fd_error <= fd_allowed).all()), \
        f"{name}: autograd vs finite difference {fd_error.max().item()} at [{fd_error.argmax().item()}]"
    fd64 = (gradients64.double() - fd).abs().max().item()
    assert fd64 < 1e-6, f"{name}: float64 autograd vs finite difference {fd64}"
    statistics.fd_max_abs = max(statistics.fd_max_abs, fd_error.max().item())
    statistics.fd64_max_abs = max(statistics.fd64_max_abs, fd64)
    per_network["fd"] = max(per_network.get("fd", 0.0), fd_error.max().item())

    for key, e64, a32 in (("output", output64, output), ("prefix", prefix64, prefix), ("loss", value64, value),
                          ("gradient", gradients64, gradients)):
        ratio = rounding_error(e64, a32)
        statistics.rounding[key] = max(statistics.rounding[key], ratio)
        statistics.rounding_abs[key] = max(statistics.rounding_abs[key],
                                           (e64.detach().double() - a32.detach().double()).abs().max().item())
        per_network[key] = max(per_network.get(key, 0.0), ratio)
        assert ratio <= ROUNDING_SHARE, f"{name}: float32 {key} is {ratio:.2f}x the tolerance from float64"

    return {
        "steps": steps,
        "sequence": floats(sequence),
        "target": floats(target),
        "output": floats(output),
        "loss": float(value.item()),
        "gradients": floats(gradients),
        "prefixOutputs": floats(prefix),
    }


def draw_samples(name, model, inputs, loss, target_kind, steps_list, input_range):
    """One well-conditioned (sequence, target) per length; returns them with the number of rejected draws."""
    samples = []
    redrawn = 0
    for steps in steps_list:
        for _ in range(1000):
            sequence = torch.empty(steps, inputs).uniform_(-input_range, input_range)
            target = make_target(target_kind, model.heads[-1][1])
            if well_conditioned(model, sequence.unsqueeze(0), loss):
                break
            redrawn += 1
        else:
            raise RuntimeError(f"{name}: could not draw a well-conditioned {steps}-step sample")
        samples.append((sequence, target))
    return samples, redrawn


def relu_units_exercised(model, loss, samples):
    """Every ReLU unit is positive somewhere (recurrent: at some step; dense: at some sample's last step), every ReLU
    layer is also negative somewhere, so both branches of the derivative are tested, and in most samples the loss
    reaches the first layer's weights: a one-unit ReLU layer or a ReLU output that is off cuts the gradient of
    everything before it, which would leave those samples' gradients all zero."""
    active = None
    inactive = None
    reaching = 0
    for sequence, target in samples:
        found, _ = relu_pre_activations(model, sequence.unsqueeze(0))
        relus = [(recurrent, z) for activation, recurrent, z in found if activation == "ReLU"]
        positive = [(z > 0).any(dim=0) if recurrent else z[-1] > 0 for recurrent, z in relus]
        negative = [bool((z < 0).any()) for _, z in relus]
        active = positive if active is None else [a | p for a, p in zip(active, positive)]
        inactive = negative if inactive is None else [a or n for a, n in zip(inactive, negative)]
        model.zero_grad(set_to_none=True)
        output, logits = model(sequence.unsqueeze(0))
        loss_of(loss, output, logits, target.unsqueeze(0)).backward()
        reaching += bool((model.recurrent[0].weight_ih_l0.grad != 0).any())
    model.zero_grad(set_to_none=True)
    return all(bool(a.all()) for a in active) and all(inactive) and reaching * 2 > len(samples)


def reference_for(name, inputs, layers, loss, target_kind, options, statistics):
    steps_list = options.get("steps", DEFAULT_STEPS)
    assert max(steps_list) <= options.get("maxSteps", 256), f"{name}: a sample is longer than MaxSteps"
    scale = options.get("scale", 1.0)
    input_range = options.get("input", 1.0)
    for network_attempt in range(100):
        model = SequenceModel(inputs, layers, scale)
        drawn, redrawn = draw_samples(name, model, inputs, loss, target_kind, steps_list, input_range)
        if relu_units_exercised(model, loss, drawn):
            break
    else:
        raise RuntimeError(f"{name}: some ReLU unit is never active (or a ReLU layer never inactive)")
    model64 = copy.deepcopy(model).double()
    parameters = flat_parameters(model).detach()
    assert torch.equal(parameters, torch.cat([p.detach().reshape(-1) for p in model.parameters()]))
    per_network = {}
    samples = [run_sample(name, model, model64, layers, inputs, loss, sequence, target, parameters, statistics,
                          per_network) for sequence, target in drawn]
    print(f"{name}: {parameters.numel()} parameters, steps {list(steps_list)}, {network_attempt} networks and "
          f"{redrawn} samples redrawn; float32 vs float64 (x tolerance): output {per_network['output']:.3f}, "
          f"prefix {per_network['prefix']:.3f}, loss {per_network['loss']:.3f}, "
          f"gradients {per_network['gradient']:.3f}; max |autograd - FD| {per_network['fd']:.2e}", file=sys.stderr)
    return {
        "name": name,
        "inputs": inputs,
        "maxSteps": options.get("maxSteps", 256),
        "layers": [{"kind": layer[0], "units": layer[1], "activation": layer[2] if len(layer) > 2 else None}
                   for layer in layers],
        "loss": loss,
        "parameterCount": parameters.numel(),
        "parameters": floats(parameters),
        "samples": samples,
    }


# ---------------------------------------------------------------------------------------------------------------------
# Output: every float32 value as its shortest decimal text that rounds back to the same float32 (about half the size of
# Python's double repr). The check is exact (rational arithmetic), so a correctly rounding float32 parser (.NET's) gets
# PyTorch's bits back.

def float32_text(value):
    f = np.float32(value)
    assert float(f) == value, "not a float32 value"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    exact = Fraction(float(f))
    below = Fraction(float(np.nextafter(f, np.float32(-np.inf))))
    above = Fraction(float(np.nextafter(f, np.float32(np.inf))))
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        candidate = Fraction(text)
        # Strictly nearer to f than to either neighbour: no tie, whatever the parser's tie rule.
        if abs(candidate - exact) < abs(candidate - below) and abs(candidate - exact) < abs(candidate - above):
            if "e" not in text and "." not in text:
                text += ".0"
            return text
    raise AssertionError(f"no float32 text for {value!r}")


def to_json(value, indent=""):
    """JSON with one key per line but every list of numbers on a single line, without spaces (compact)."""
    inner = indent + "  "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key)}: {to_json(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and all(isinstance(item, float) for item in value):
        return "[" + ",".join(float32_text(item) for item in value) + "]"
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + to_json(item, inner) for item in value) + "\n" + indent + "]"
    if isinstance(value, float):
        return float32_text(value)
    return json.dumps(value, allow_nan=False)


def main():
    torch.manual_seed(SEED)
    torch.set_default_dtype(torch.float32)
    torch.set_num_threads(1)  # one summation order, run after run
    statistics = Statistics()
    document = {
        "format": "netgen-sequence-reference-values/1",
        "description": "PyTorch float32 outputs, losses, per-sample gradients and prefix outputs for NetGen's sequence "
                       "reference networks; parameters and gradients in state_dict order (per recurrent layer "
                       "weight_ih [G*units, inputs], weight_hh [G*units, units], bias_ih, bias_hh, gates GRU r,z,n / "
                       "LSTM i,f,g,o; then per dense layer W [units, inputs] row-major, b). Sequences are "
                       "[steps, inputs] row-major; prefixOutputs [steps, outputs], row t = the output after steps "
                       "0..t. Written by make_sequence_reference.py; do not edit by hand.",
        "torch": torch.__version__,
        "seed": SEED,
        "networks": [reference_for(*network, statistics) for network in NETWORKS],
    }
    text = to_json(document) + "\n"
    # Round trip: the text parses back to exactly the float32 values computed.
    parsed = json.loads(text)
    for network_text, network in zip(parsed["networks"], document["networks"]):
        assert [np.float32(v) for v in network_text["parameters"]] == [np.float32(v) for v in network["parameters"]]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sequence_reference.json")
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        file.write(text)
    print(f"wrote {path}: {len(document['networks'])} networks, {len(text.encode()) / 1e6:.2f} MB", file=sys.stderr)
    print(f"max |float32 autograd - float64 finite difference| = {statistics.fd_max_abs:.3e}; "
          f"float64 autograd vs FD {statistics.fd64_max_abs:.1e}; "
          f"independent implementation vs nn modules (float64) {statistics.manual_max_abs:.1e}; "
          f"ReLU pre-activations float32 vs float64 {statistics.kink_rounding:.1e} (margin {KINK_MARGIN})",
          file=sys.stderr)
    print("float32 vs float64, worst multiple of the tolerance: "
          + ", ".join(f"{k} {v:.3f} (abs {statistics.rounding_abs[k]:.1e})" for k, v in statistics.rounding.items()),
          file=sys.stderr)


if __name__ == "__main__":
    main()
