#!/usr/bin/python3
"""Exports small PyTorch MLPs to ONNX and to NetGen's weight format, with PyTorch's outputs, as NetGen test data.

Run from anywhere with a Python that has PyTorch (Debian's python3-torch; the `onnx` package is NOT needed,
torch.onnx.export writes the protobuf itself):

    /usr/bin/python3 tools/pytorch/export_mlp.py [output-directory]

The default output directory is tests/NetGen.Generator.Tests/TestData/onnx. For every model NAME it writes

    NAME.onnx   torch.onnx.export, opset 13, dynamic batch axis (input 'input', output 'output')
    NAME.json   {"name", "input_shape" (without batch), "ops" (the op_type of every node, in graph order),
                 "inputs" (a batch of samples, each flattened, float32), "outputs" (PyTorch's outputs, float32)}
    NAME.ngw    for an nn.Sequential of nn.Linear and supported activations only: its weights in NetGen's weight
                format (docs/weights-format.md), written by save_ngw; tests/NetGen.Tests loads them into declared
                networks

Everything is seeded and float32; a rerun with the same PyTorch writes the same files. Models are put in eval()
mode before export, so Dropout is the identity and BatchNorm1d uses its running statistics.

To bring your own model: build an nn.Sequential like the ones below, call model.eval(), and export it with
export(model, name, input_shape) (or the torch.onnx.export call inside it), or write its weights for a declared
NetGen network with save_ngw(model, inputs, loss, path) (import this file as a module). See docs/pytorch.md.
"""

import json
import os
import struct
import sys
import zlib

import torch
from torch import nn

SEED = 20261126
SAMPLES = 5
# NetGen's LeakyReLU slope (docs: design section 2); PyTorch's default negative_slope is the same 0.01.
NETGEN_LEAKY_SLOPE = 0.01


class MatMulAdd(nn.Module):
    """x @ W + b with W stored as [in, out]: exports as MatMul + Add instead of Gemm."""

    def __init__(self, inputs, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(inputs, units) * 0.5)
        self.bias = nn.Parameter(torch.randn(units) * 0.1)

    def forward(self, x):
        return torch.matmul(x, self.weight) + self.bias


class Exp(nn.Module):
    """An operator NetGen has no activation for (exports as Exp)."""

    def forward(self, x):
        return torch.exp(x)


class Residual(nn.Module):
    """out(x + relu(inner(x))): a skip connection, so the graph branches (the input feeds Gemm and Add)."""

    def __init__(self, features, outputs):
        super().__init__()
        self.inner = nn.Linear(features, features)
        self.out = nn.Linear(features, outputs)

    def forward(self, x):
        return self.out(x + torch.relu(self.inner(x)))


class MatMulResidual(nn.Module):
    """out(x @ W + x): a skip connection added straight after a MatMul, where a bias would be (MatMul, Add, Gemm)."""

    def __init__(self, features, outputs):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(features, features) * 0.5)
        self.out = nn.Linear(features, outputs)

    def forward(self, x):
        return self.out(torch.matmul(x, self.weight) + x)


class ParallelBranches(nn.Module):
    """cat(a(x), b(x)): two dense layers over the same input, side by side (exports as Gemm, Gemm, Concat)."""

    def __init__(self, inputs, units):
        super().__init__()
        self.a = nn.Linear(inputs, units)
        self.b = nn.Linear(inputs, units)

    def forward(self, x):
        return torch.cat([self.a(x), self.b(x)], dim=1)


class Unsqueeze(nn.Module):
    """x.unsqueeze(1): a shape operator between layers (exports as Constant axes + Unsqueeze)."""

    def forward(self, x):
        return x.unsqueeze(1)


class Twice(nn.Module):
    """x * 2: an elementwise operator between layers (exports as Constant + Mul)."""

    def forward(self, x):
        return x * 2


def randomize_batchnorm(bn):
    """Gives a BatchNorm1d non-trivial running statistics and affine parameters, so that folding is visible."""
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(bn.num_features) * 0.5)
        bn.running_var.copy_(torch.rand(bn.num_features) * 1.5 + 0.25)
        bn.weight.copy_(torch.rand(bn.num_features) + 0.5)
        bn.bias.copy_(torch.randn(bn.num_features) * 0.2)


def models():
    """(name, module, input shape without the batch axis, do_constant_folding, save_ngw arguments or None).

    A model with save_ngw arguments (the loss, optionally a standardizer) also gets a NetGen weight file; the others
    contain modules NetGen's weight file cannot describe. New models go at the end: the models share one seeded
    random stream, so inserting one would change every file after it.
    """
    yield "relu_sigmoid", nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Sigmoid()), (4,), True, \
        dict(loss="BinaryCrossEntropy")
    yield "flatten_tanh_softmax", nn.Sequential(
        nn.Flatten(), nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 4), nn.Softmax(dim=1)), (2, 3), True, None
    yield "leaky_dropout_identity", nn.Sequential(
        nn.Linear(5, 7), nn.LeakyReLU(NETGEN_LEAKY_SLOPE), nn.Dropout(0.5), nn.Linear(7, 3), nn.Identity(),
        nn.Linear(3, 2)), (5,), True, None
    bn = nn.BatchNorm1d(6)
    randomize_batchnorm(bn)
    yield "batchnorm_relu", nn.Sequential(nn.Linear(4, 6), bn, nn.ReLU(), nn.Linear(6, 2)), (4,), True, None
    bn2 = nn.BatchNorm1d(5)
    randomize_batchnorm(bn2)
    # The same kind of model without constant folding: whatever PyTorch leaves unfolded, the reader must fold.
    yield "batchnorm_nofold", nn.Sequential(nn.Linear(3, 5), bn2, nn.Tanh(), nn.Linear(5, 2), nn.Softmax(dim=1)), \
        (3,), False, None
    yield "matmul_add", nn.Sequential(MatMulAdd(4, 5), nn.ReLU(), MatMulAdd(5, 2)), (4,), True, None
    # Negative cases: an operator NetGen cannot import, and a LeakyReLU slope NetGen lacks.
    yield "unsupported_exp", nn.Sequential(nn.Linear(3, 4), Exp(), nn.Linear(4, 2)), (3,), True, None
    yield "leaky_slope_02", nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 2)), (3,), True, None
    # The other activations for save_ngw: Tanh, LeakyReLU, a Linear followed by a Linear (Identity), Softmax(dim=-1);
    # and a standardizer saved with the weights.
    yield "tanh_leaky_softmax", nn.Sequential(
        nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 5), nn.LeakyReLU(NETGEN_LEAKY_SLOPE), nn.Linear(5, 4),
        nn.Linear(4, 3), nn.Softmax(dim=-1)), (3,), True, \
        dict(loss="MeanSquaredError", standardizer=([0.1, -2.5, 3.3], [1.7, 0.25, 42.0]))
    # An MNIST-sized classifier (101,770 parameters, seeded initialisation, untrained): a model big enough to measure
    # what compiled-in weights cost a build.
    yield "mnist_mlp", nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1)), \
        (784,), True, dict(loss="CrossEntropy")
    # More negative cases (tests/NetGen.Generator.Tests/UnsupportedGraphTests.cs): real PyTorch models that are not a
    # chain of dense layers NetGen can express, each refused by the reader with NG0019.
    # A convolutional front end: Conv on a [batch, 1, 4, 4] image before Flatten and a dense layer.
    yield "unsupported_conv2d", nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2)), \
        (1, 4, 4), True, None
    # A residual block, x + relu(Linear(x)): the graph branches and joins again with Add.
    yield "unsupported_residual", Residual(4, 2), (4,), True, None
    # Two dense layers side by side over the input, concatenated: a branch that is never an Add.
    yield "unsupported_branches", ParallelBranches(3, 2), (3,), True, None
    # Two activations in a row: NetGen has one activation per layer.
    yield "unsupported_relu_sigmoid", nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sigmoid(), nn.Linear(4, 2)), \
        (3,), True, None
    # Softmax on a hidden layer: NetGen allows Softmax on the last layer only.
    yield "unsupported_hidden_softmax", nn.Sequential(nn.Linear(3, 4), nn.Softmax(dim=1), nn.Linear(4, 2)), \
        (3,), True, None
    # A shape operator after a Linear (Unsqueeze, with its axes as a Constant node), then Flatten and a Linear.
    yield "unsupported_unsqueeze", nn.Sequential(nn.Linear(3, 4), Unsqueeze(), nn.Flatten(), nn.Linear(4, 2)), \
        (3,), True, None
    # An elementwise operator after a Linear (x * 2: Constant + Mul).
    yield "unsupported_times_two", nn.Sequential(nn.Linear(3, 4), Twice(), nn.Linear(4, 2)), (3,), True, None
    # Activations NetGen lacks: GELU (PyTorch 1.13 at opset 13 writes it as Div, Erf, Add, Mul, Mul with Constant
    # nodes, not as one operator) and ELU (one Elu node).
    yield "unsupported_gelu", nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 2)), (3,), True, None
    yield "unsupported_elu", nn.Sequential(nn.Linear(3, 4), nn.ELU(), nn.Linear(4, 2)), (3,), True, None
    # A residual block whose Add directly follows a MatMul, so the skip connection sits where MatMul+Add's bias would.
    yield "unsupported_matmul_residual", MatMulResidual(4, 2), (4,), True, None


# NetGen's weight file (docs/weights-format.md), written by save_ngw.
NGW_MAGIC = b"\x89NGW\r\n\x1a\n"
NGW_VERSION = 1
NGW_STANDARDIZER_FLAG = 1
NETGEN_LOSSES = ("MeanSquaredError", "BinaryCrossEntropy", "CrossEntropy")
# The PyTorch loss modules with NetGen's definition. nn.CrossEntropyLoss takes logits: NetGen's CrossEntropy network
# ends in a Softmax layer and computes the same loss from that layer's logits, so append nn.Softmax(dim=1) to the
# model before saving it.
TORCH_LOSSES = {nn.MSELoss: "MeanSquaredError", nn.BCELoss: "BinaryCrossEntropy", nn.CrossEntropyLoss: "CrossEntropy"}


class NetGenExportError(ValueError):
    """A model (or loss, or standardizer) that NetGen's weight file cannot describe; the message says why."""


def _activation_name(module, position):
    """NetGen's Activation member for an activation module, or raises NetGenExportError."""
    kind = type(module)
    if kind is nn.ReLU:
        return "ReLU"
    if kind is nn.Sigmoid:
        return "Sigmoid"
    if kind is nn.Tanh:
        return "Tanh"
    if kind is nn.LeakyReLU:
        if module.negative_slope != NETGEN_LEAKY_SLOPE:
            raise NetGenExportError("module %d, %r: NetGen's LeakyReLU has slope %r only"
                                    % (position, module, NETGEN_LEAKY_SLOPE))
        return "LeakyReLU"
    if kind is nn.Softmax:
        if module.dim not in (1, -1):
            raise NetGenExportError("module %d, %r: NetGen's Softmax is over the features; use nn.Softmax(dim=1) "
                                    "or nn.Softmax(dim=-1)" % (position, module))
        return "Softmax"
    return None


RECURRENT_MODULES = {nn.GRU: "Gru", nn.LSTM: "Lstm", nn.RNN: "Rnn"}
RNN_NONLINEARITIES = {"tanh": "Tanh", "relu": "ReLU"}


class Layer:
    """One NetGen layer of a Sequential: a dense layer (an nn.Linear and its activation) or one layer of a recurrent
    module (an nn.GRU, nn.LSTM or nn.RNN with num_layers > 1 gives one Layer per layer)."""

    def __init__(self, module, kind, activation, index=0):
        self.module = module          # the nn.Linear, or the recurrent module
        self.kind = kind              # "Dense", "Gru", "Lstm" or "Rnn"
        self.activation = activation  # a dense layer's activation, an Rnn's nonlinearity, None for Gru and Lstm
        self.index = index            # the layer within a recurrent module (its parameters' _l{index} suffix)

    @property
    def units(self):
        return self.module.out_features if self.kind == "Dense" else self.module.hidden_size

    def token(self):
        """The layer in NetGen's architecture text: 8(ReLU), Gru(32), Lstm(64), Rnn(16,Tanh)."""
        if self.kind == "Dense":
            return "%d(%s)" % (self.units, self.activation)
        if self.kind == "Rnn":
            return "Rnn(%d,%s)" % (self.units, self.activation)
        return "%s(%d)" % (self.kind, self.units)

    def parameters(self):
        """(name, tensor or None for zeros, element count) in NetGen's (= PyTorch's state_dict) order."""
        m = self.module
        if self.kind == "Dense":
            return [("weight", m.weight, m.out_features * m.in_features), ("bias", m.bias, m.out_features)]
        rows = {"Gru": 3, "Lstm": 4, "Rnn": 1}[self.kind] * m.hidden_size
        inputs = m.input_size if self.index == 0 else m.hidden_size
        names = [("weight_ih", rows * inputs), ("weight_hh", rows * m.hidden_size), ("bias_ih", rows),
                 ("bias_hh", rows)]
        return [("%s_l%d" % (name, self.index), getattr(m, "%s_l%d" % (name, self.index), None), count)
                for name, count in names]


def _recurrent_layers(module, position, expected):
    """The NetGen layers of an nn.GRU, nn.LSTM or nn.RNN module, or raises NetGenExportError."""
    kind = RECURRENT_MODULES[type(module)]
    if module.bidirectional:
        raise NetGenExportError("module %d, %r: NetGen's recurrent layers read the sequence forwards only "
                                "(bidirectional=False)" % (position, module))
    if getattr(module, "proj_size", 0):
        raise NetGenExportError("module %d, %r: NetGen's LSTM has no projection (proj_size=0)" % (position, module))
    if module.input_size != expected:
        raise NetGenExportError("module %d, %r: it takes %d features, but %s %d"
                                % (position, module, module.input_size,
                                   "the previous recurrent layer gives" if position else "the network has inputs =",
                                   expected))
    activation = None
    if kind == "Rnn":
        activation = RNN_NONLINEARITIES.get(module.nonlinearity)
        if activation is None:
            raise NetGenExportError("module %d, %r: NetGen's RNN has nonlinearity 'tanh' or 'relu'" % (position, module))
    return [Layer(module, kind, activation, index) for index in range(module.num_layers)]


def netgen_layers(sequential, inputs, loss):
    """Maps an nn.Sequential to NetGen's layers: ([Layer], loss name).

    The Sequential is optionally nn.GRU, nn.LSTM or nn.RNN modules first (unidirectional, any num_layers, batch_first
    or not: NetGen reads one sequence at a time; nn.RNN with nonlinearity 'tanh' or 'relu'), then nn.Linear modules,
    each optionally followed by one of nn.ReLU, nn.Sigmoid, nn.Tanh, nn.LeakyReLU(0.01) and nn.Softmax(dim=1 or -1)
    (last layer only); a Linear without an activation is NetGen's Identity. The first Linear after recurrent modules
    reads the last one's hidden state after the last step (out[:, -1] or h_n[-1] in PyTorch). `inputs` is the first
    module's in_features (input_size); `loss` a NetGen Loss name or an nn.MSELoss, nn.BCELoss or nn.CrossEntropyLoss
    instance, checked as NetGen's generator checks it (CrossEntropy needs a Softmax output layer, BinaryCrossEntropy
    a Sigmoid one). Anything else raises NetGenExportError naming the module and the reason.
    """
    if not isinstance(sequential, nn.Sequential):
        raise NetGenExportError("expected an nn.Sequential, got %s" % type(sequential).__name__)
    if type(loss) in TORCH_LOSSES:
        loss = TORCH_LOSSES[type(loss)]
    if loss not in NETGEN_LOSSES:
        raise NetGenExportError("loss %r: expected one of %s, or an nn.MSELoss, nn.BCELoss or nn.CrossEntropyLoss"
                                % (loss, ", ".join(NETGEN_LOSSES)))
    if isinstance(inputs, bool) or not isinstance(inputs, int) or inputs < 1:
        raise NetGenExportError("inputs %r: expected a positive int, the first module's in_features (input_size)"
                                % (inputs,))
    layers = []
    for position, module in enumerate(sequential):
        expected = layers[-1].units if layers else inputs
        if type(module) in RECURRENT_MODULES:
            if layers and layers[-1].kind == "Dense":
                raise NetGenExportError("module %d, %r: NetGen's recurrent layers come first, before any nn.Linear"
                                        % (position, module))
            layers.extend(_recurrent_layers(module, position, expected))
            continue
        if type(module) is nn.Linear:
            if module.in_features != expected:
                previous = ("the previous Linear gives" if layers[-1].kind == "Dense"
                            else "the previous recurrent layer gives") if layers else "the network has inputs ="
                raise NetGenExportError("module %d, %r: it takes %d features, but %s %d"
                                        % (position, module, module.in_features, previous, expected))
            if layers and layers[-1].activation == "Softmax":
                raise NetGenExportError("module %d, %r: NetGen allows Softmax on the last layer only"
                                        % (position, module))
            layers.append(Layer(module, "Dense", "Identity"))
            continue
        activation = _activation_name(module, position)
        if activation is None:
            raise NetGenExportError("module %d, %r: NetGen's weight file holds nn.Linear layers, each optionally "
                                    "followed by nn.ReLU, nn.Sigmoid, nn.Tanh, nn.LeakyReLU(0.01) or nn.Softmax(dim=1), "
                                    "after optional nn.GRU, nn.LSTM or nn.RNN modules" % (position, module))
        if not layers or layers[-1].kind != "Dense" or layers[-1].activation != "Identity" \
                or sequential[position - 1] is not layers[-1].module:
            raise NetGenExportError("module %d, %r: an activation must directly follow an nn.Linear"
                                    % (position, module))
        layers[-1].activation = activation
    if not layers or layers[-1].kind != "Dense":
        raise NetGenExportError("the Sequential has no nn.Linear layer%s" % (" after its recurrent modules; NetGen's "
                                "sequence networks end in dense layers" if layers else ""))
    output = layers[-1].activation
    if loss == "CrossEntropy" and output != "Softmax":
        raise NetGenExportError("NetGen's CrossEntropy needs a Softmax output layer (the model ends in %s); "
                                "append nn.Softmax(dim=1), as CrossEntropyLoss applies it to the logits" % output)
    if loss == "BinaryCrossEntropy" and output != "Sigmoid":
        raise NetGenExportError("NetGen's BinaryCrossEntropy needs a Sigmoid output layer (the model ends in %s)"
                                % output)
    return layers, loss


def netgen_architecture(sequential, inputs, loss):
    """NetGen's architecture text of an nn.Sequential (see netgen_layers), e.g. '4-8(ReLU)-3(Softmax), CrossEntropy'
    or '6-Gru(32)-4(Softmax), CrossEntropy': what the declared network's Architecture constant must be for the weight
    file to load."""
    layers, loss = netgen_layers(sequential, inputs, loss)
    return "%d-%s, %s" % (inputs, "-".join(layer.token() for layer in layers), loss)


def _float32_bytes(values, what):
    """Little-endian float32 bytes of a tensor or sequence; refuses NaN and infinities, as NetGen does."""
    tensor = torch.as_tensor(values).detach().to("cpu", torch.float32).reshape(-1)
    if not bool(torch.isfinite(tensor).all()):
        raise NetGenExportError("%s: NaN or infinite values; NetGen's weight file holds finite values only" % what)
    return struct.pack("<%df" % tensor.numel(), *tensor.tolist())


def ngw_bytes(sequential, inputs, loss, standardizer=None):
    """The NetGen weight file (format version 1) of an nn.Sequential's weights, as bytes; see save_ngw."""
    layers, loss = netgen_layers(sequential, inputs, loss)
    architecture = netgen_architecture(sequential, inputs, loss).encode("utf-8")
    parameters, count = [], 0
    for position, layer in enumerate(layers):
        # state_dict order and layout: nn.Linear's weight [out_features, in_features] row-major, then bias; a recurrent
        # layer's weight_ih [G*H, I], weight_hh [G*H, H], bias_ih, bias_hh, gates in PyTorch's order (NetGen's too).
        # A module without biases (bias=False) is saved with zeros.
        for name, tensor, size in layer.parameters():
            parameters.append(_float32_bytes(tensor if tensor is not None else torch.zeros(size),
                                             "layer %d %s" % (position, name)))
            count += size
    body = [struct.pack("<I", len(architecture)), architecture, b"\0" * (-len(architecture) % 4),
            struct.pack("<I", count)] + parameters
    flags = 0
    if standardizer is not None:
        means, deviations = (torch.as_tensor(v).detach().to("cpu", torch.float32).reshape(-1) for v in standardizer)
        if means.numel() != inputs or deviations.numel() != inputs:
            raise NetGenExportError("the standardizer has %d means and %d standard deviations; the network has %d "
                                    "inputs" % (means.numel(), deviations.numel(), inputs))
        if not bool((deviations > 0).all()):
            raise NetGenExportError("the standardizer's standard deviations must be positive (as float32)")
        flags |= NGW_STANDARDIZER_FLAG
        body += [struct.pack("<I", inputs), _float32_bytes(means, "standardizer means"),
                 _float32_bytes(deviations, "standardizer standard deviations")]
    body = b"".join(body)
    length = 24 + len(body) + 4
    header = NGW_MAGIC + struct.pack("<HHQ", NGW_VERSION, flags, length)
    data = header + struct.pack("<I", zlib.crc32(header)) + body
    return data + struct.pack("<I", zlib.crc32(data))


def save_ngw(sequential, inputs, loss, path, standardizer=None):
    """Writes an nn.Sequential's weights as a NetGen weight file (.ngw) that WeightFile.LoadFile loads into a network
    declared with the same layers, and returns its architecture text.

    sequential    nn.Linear layers, each optionally followed by nn.ReLU, nn.Sigmoid, nn.Tanh, nn.LeakyReLU(0.01) or
                  nn.Softmax(dim=1 or -1) (last layer only); a Linear without an activation is Identity, a Linear
                  without bias is saved with zero biases. Weights are saved as float32, in state_dict order.
                  A sequence model starts with its nn.GRU, nn.LSTM or nn.RNN modules (unidirectional; num_layers
                  layers each: Gru(H), Lstm(H), Rnn(H,Tanh) or Rnn(H,ReLU)); the first Linear reads the last hidden
                  state. Build the Sequential from your model's modules, e.g. nn.Sequential(model.gru, *model.head):
                  it only describes the layers and is never run.
    inputs        the number of input features (the first module's in_features or input_size: features per step).
    loss          "MeanSquaredError", "BinaryCrossEntropy" or "CrossEntropy" (the declared network's Loss), or an
                  nn.MSELoss, nn.BCELoss or nn.CrossEntropyLoss instance.
    standardizer  optional (means, standard deviations), `inputs` values each, saved with the weights; LoadFile
                  returns it as a NetGen.Data.Standardizer, which computes (x - mean) / deviation.

    Raises NetGenExportError (a ValueError) naming the module, if NetGen cannot represent the model.
    """
    data = ngw_bytes(sequential, inputs, loss, standardizer)
    with open(path, "wb") as f:
        f.write(data)
    return netgen_architecture(sequential, inputs, loss)


def read_varint(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def fields(data):
    """Yields (field number, wire type, value) of one protobuf message (value: int or bytes)."""
    pos = 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = read_varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = read_varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError("wire type %d" % wire)
        yield number, wire, value


def op_types(onnx_bytes):
    """The op_type of every node (ModelProto.graph = 7, GraphProto.node = 1, NodeProto.op_type = 4), without onnx."""
    graph = next(v for n, w, v in fields(onnx_bytes) if n == 7)
    nodes = [v for n, w, v in fields(graph) if n == 1]
    return [next(v for n, w, v in fields(node) if n == 4).decode() for node in nodes]


def export(model, name, input_shape, fold, ngw, directory):
    model.eval()
    inputs = torch.randn(SAMPLES, *input_shape)
    with torch.no_grad():
        outputs = model(inputs)
    path = os.path.join(directory, name + ".onnx")
    torch.onnx.export(model, inputs[:1], path, opset_version=13, do_constant_folding=fold,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    with open(path, "rb") as f:
        ops = op_types(f.read())
    record = {
        "name": name,
        "input_shape": list(input_shape),
        "constant_folding": fold,
        "ops": ops,
        "inputs": [[float(v) for v in row] for row in inputs.reshape(SAMPLES, -1).tolist()],
        "outputs": [[float(v) for v in row] for row in outputs.reshape(SAMPLES, -1).tolist()],
    }
    with open(os.path.join(directory, name + ".json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print("%-28s %6d bytes  %s" % (name, os.path.getsize(path), " ".join(ops)))
    if ngw is not None:
        ngw_path = os.path.join(directory, name + ".ngw")
        architecture = save_ngw(model, inputs[0].numel(), path=ngw_path, **ngw)
        print("%-28s %6d bytes  %s" % (name + ".ngw", os.path.getsize(ngw_path), architecture))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "tests", "NetGen.Generator.Tests", "TestData", "onnx")
    directory = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else default)
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(SEED)
    print("PyTorch", torch.__version__)
    for name, model, input_shape, fold, ngw in models():
        export(model, name, input_shape, fold, ngw, directory)


if __name__ == "__main__":
    main()
