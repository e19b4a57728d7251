#!/usr/bin/python3
"""Exports small PyTorch MLPs to ONNX, with PyTorch's outputs, as test data for NetGen's ONNX reader.

Run from anywhere with a Python that has PyTorch (Debian's python3-torch; the `onnx` package is NOT needed,
torch.onnx.export writes the protobuf itself):

    /usr/bin/python3 tools/pytorch/export_mlp.py [output-directory]

The default output directory is tests/NetGen.Generator.Tests/TestData/onnx. For every model NAME it writes

    NAME.onnx   torch.onnx.export, opset 13, dynamic batch axis (input 'input', output 'output')
    NAME.json   {"name", "input_shape" (without batch), "ops" (the op_type of every node, in graph order),
                 "inputs" (a batch of samples, each flattened, float32), "outputs" (PyTorch's outputs, float32)}

Everything is seeded and float32; a rerun with the same PyTorch writes the same files. Models are put in eval()
mode before export, so Dropout is the identity and BatchNorm1d uses its running statistics.

To bring your own model: build an nn.Sequential like the ones below, call model.eval(), and export it with
export(model, name, input_shape) (or the torch.onnx.export call inside it). See docs/pytorch.md.
"""

import json
import os
import sys

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


def randomize_batchnorm(bn):
    """Gives a BatchNorm1d non-trivial running statistics and affine parameters, so that folding is visible."""
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(bn.num_features) * 0.5)
        bn.running_var.copy_(torch.rand(bn.num_features) * 1.5 + 0.25)
        bn.weight.copy_(torch.rand(bn.num_features) + 0.5)
        bn.bias.copy_(torch.randn(bn.num_features) * 0.2)


def models():
    """(name, module, input shape without the batch axis, do_constant_folding)."""
    yield "relu_sigmoid", nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Sigmoid()), (4,), True
    yield "flatten_tanh_softmax", nn.Sequential(
        nn.Flatten(), nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 4), nn.Softmax(dim=1)), (2, 3), True
    yield "leaky_dropout_identity", nn.Sequential(
        nn.Linear(5, 7), nn.LeakyReLU(NETGEN_LEAKY_SLOPE), nn.Dropout(0.5), nn.Linear(7, 3), nn.Identity(),
        nn.Linear(3, 2)), (5,), True
    bn = nn.BatchNorm1d(6)
    randomize_batchnorm(bn)
    yield "batchnorm_relu", nn.Sequential(nn.Linear(4, 6), bn, nn.ReLU(), nn.Linear(6, 2)), (4,), True
    bn2 = nn.BatchNorm1d(5)
    randomize_batchnorm(bn2)
    # The same kind of model without constant folding: whatever PyTorch leaves unfolded, the reader must fold.
    yield "batchnorm_nofold", nn.Sequential(nn.Linear(3, 5), bn2, nn.Tanh(), nn.Linear(5, 2), nn.Softmax(dim=1)), \
        (3,), False
    yield "matmul_add", nn.Sequential(MatMulAdd(4, 5), nn.ReLU(), MatMulAdd(5, 2)), (4,), True
    # Negative cases: an operator NetGen cannot import, and a LeakyReLU slope NetGen lacks.
    yield "unsupported_exp", nn.Sequential(nn.Linear(3, 4), Exp(), nn.Linear(4, 2)), (3,), True
    yield "leaky_slope_02", nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 2)), (3,), True


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


def export(model, name, input_shape, fold, directory):
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
    print("%-24s %5d bytes  %s" % (name, os.path.getsize(path), " ".join(ops)))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "tests", "NetGen.Generator.Tests", "TestData", "onnx")
    directory = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else default)
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(SEED)
    print("PyTorch", torch.__version__)
    for name, model, input_shape, fold in models():
        export(model, name, input_shape, fold, directory)


if __name__ == "__main__":
    main()
