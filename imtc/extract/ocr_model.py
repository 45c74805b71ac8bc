"""RapidOCR's models (PP-OCRv4 detection and recognition) rewritten to do the same arithmetic in fewer steps.

Their PaddlePaddle export spells every hard-swish as four element-wise steps (x+3, clip to 0..6, times
x, divided by 6) and follows each convolution with a "learnable affine" pair (times a scalar, plus a
scalar); with one thread these element-wise passes over the feature maps cost as much as the
convolutions. Here:

- a convolution followed by times s, plus b (scalars) becomes one convolution (weights × s, bias × s + b);
- times s, plus b followed by a 1×1 convolution without padding becomes that convolution (weights × s,
  bias + b × the sum of each output channel's weights);
- the four steps of a hard-swish become x × HardSigmoid(x; 1/6, 0.5).

The outputs equal the original's to float rounding (tests/test_ocr.py); recognition takes about 40%
less CPU, detection 30% (bench/bench_ocr.py). The rewritten model is kept in the user's cache, named by the
original's SHA-256; without the `onnx` package, or when rewriting fails, the original is used.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

VERSION = "2"  # of the rewrite: a new one makes a new cache file
log = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "imtc" / "models"


def fused(src: Path) -> Path | bytes:
    """The rewritten model (a cached file, or its bytes where the cache cannot be written), else `src`."""
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    path = cache_dir() / f"{src.stem}.fused{VERSION}.{digest}.onnx"
    if path.exists():
        return path
    try:
        data = rewrite(src.read_bytes())
    except Exception as e:  # onnx missing, or a model of another shape: the original does the same, slower
        log.warning("OCR model %s not rewritten (%s): using the original", src.name, e)
        return src
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as f:
            f.write(data)
        os.replace(f.name, path)  # atomic: workers starting together each write, one wins
        return path
    except OSError:
        return data


def rewrite(model: bytes) -> bytes:
    """The model's bytes with the three rewrites above applied."""
    import onnx
    from onnx import numpy_helper

    m = onnx.load_from_string(model)
    g = m.graph
    nodes: list[Any] = list(g.node)
    const = {n.output[0]: numpy_helper.to_array(n.attribute[0].t) for n in nodes if n.op_type == "Constant"}
    init: list[Any] = []
    _fold_affine_after_conv(nodes, const, init)
    _fold_affine_before_pointwise(nodes, const, init)
    _hardswish(nodes, const)
    used = _consumers(nodes).keys() | {o.name for o in g.output}
    nodes = [n for n in nodes if n is not None and not (n.op_type == "Constant" and n.output[0] not in used)]
    del g.node[:]
    g.node.extend(nodes)
    g.initializer.extend(init)
    onnx.checker.check_model(m)
    return m.SerializeToString()


def _consumers(nodes: list[Any]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, n in enumerate(nodes):
        if n is not None:
            for name in n.input:
                out.setdefault(name, []).append(i)
    return out


def _only(nodes: list[Any], cons: dict[str, list[int]], name: str, op: str) -> int | None:
    """The index of the one node reading `name`, if it is an `op`."""
    c = cons.get(name, [])
    return c[0] if len(c) == 1 and nodes[c[0]] is not None and nodes[c[0]].op_type == op else None


def _scalar(const: dict[str, Any], name: str) -> float | None:
    v = const.get(name)
    return None if v is None or v.size != 1 else float(v.reshape(-1)[0])


def _other(node: Any, name: str) -> str:
    rest = [i for i in node.input if i != name]
    return rest[0] if len(rest) == 1 else ""


def _affine(nodes: list[Any], cons: dict[str, list[int]], const: dict[str, Any], x: str) -> tuple[int, int, float, float] | None:
    """x -> Mul(scalar s) -> Add(scalar b): (index of Mul, index of Add, s, b)."""
    im = _only(nodes, cons, x, "Mul")
    if im is None:
        return None
    s = _scalar(const, _other(nodes[im], x))
    ia = _only(nodes, cons, nodes[im].output[0], "Add")
    if s is None or ia is None:
        return None
    b = _scalar(const, _other(nodes[ia], nodes[im].output[0]))
    return None if b is None else (im, ia, s, b)


def _conv(old: Any, x: str, weight: Any, bias: Any, out: str, init: list[Any], const: dict[str, Any]) -> Any:
    import numpy as np
    from onnx import helper, numpy_helper

    n = sum(1 for t in init if t.name.startswith(f"{old.name}.w_fused"))
    w, b = f"{old.name}.w_fused{n}", f"{old.name}.b_fused{n}"
    const[w], const[b] = weight.astype(np.float32), bias.astype(np.float32)
    init += [numpy_helper.from_array(const[w], w), numpy_helper.from_array(const[b], b)]
    conv = helper.make_node("Conv", [x, w, b], [out], name=old.name)
    conv.attribute.extend(old.attribute)
    return conv


def _weights(n: Any, const: dict[str, Any]) -> tuple[Any, Any] | None:
    import numpy as np

    if n.input[1] not in const or (len(n.input) > 2 and n.input[2] not in const):
        return None
    w = const[n.input[1]]
    return w, const[n.input[2]] if len(n.input) > 2 else np.zeros(w.shape[0], np.float32)


def _fold_affine_after_conv(nodes: list[Any], const: dict[str, Any], init: list[Any]) -> None:
    cons = _consumers(nodes)
    for i, n in enumerate(nodes):
        if n is None or n.op_type != "Conv" or (wb := _weights(n, const)) is None:
            continue
        aff = _affine(nodes, cons, const, n.output[0])
        if aff is None:
            continue
        im, ia, s, b = aff
        nodes[i] = _conv(n, n.input[0], wb[0] * s, wb[1] * s + b, nodes[ia].output[0], init, const)
        nodes[im] = nodes[ia] = None


def _pointwise(n: Any) -> bool:
    from onnx import helper

    attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
    return list(attrs.get("kernel_shape", [])) == [1, 1] and not any(attrs.get("pads", [0]))


def _fold_affine_before_pointwise(nodes: list[Any], const: dict[str, Any], init: list[Any]) -> None:
    cons = _consumers(nodes)
    for i, n in enumerate(nodes):
        if n is None or n.op_type != "Mul":
            continue
        x = next((name for name in n.input if name not in const), "")
        aff = _affine(nodes, cons, const, x)
        if aff is None or aff[0] != i:
            continue
        im, ia, s, b = aff
        ic = _only(nodes, cons, nodes[ia].output[0], "Conv")
        if ic is None or not _pointwise(nodes[ic]) or (wb := _weights(nodes[ic], const)) is None:
            continue
        w, bias = wb
        nodes[ic] = _conv(nodes[ic], x, w * s, bias + b * w.sum(axis=(1, 2, 3)), nodes[ic].output[0], init, const)
        nodes[im] = nodes[ia] = None


def _hardswish(nodes: list[Any], const: dict[str, Any]) -> None:
    """x -> Add(3) -> Clip(0, 6) -> Mul(x, ·) -> Div(6)  =>  Mul(x, HardSigmoid(x; 1/6, 0.5))."""
    from onnx import helper

    cons = _consumers(nodes)
    for i, n in enumerate(nodes):
        if n is None or n.op_type != "Add":
            continue
        xs = [name for name in n.input if name not in const]
        if len(xs) != 1 or _scalar(const, _other(n, xs[0])) != 3.0:
            continue
        x = xs[0]
        ic = _only(nodes, cons, n.output[0], "Clip")
        if ic is None or [_scalar(const, c) for c in nodes[ic].input[1:]] != [0.0, 6.0]:
            continue
        imu = _only(nodes, cons, nodes[ic].output[0], "Mul")
        if imu is None or x not in nodes[imu].input:
            continue
        idv = _only(nodes, cons, nodes[imu].output[0], "Div")
        if idv is None or _scalar(const, nodes[idv].input[1]) != 6.0:
            continue
        gate = f"{nodes[idv].name}.hardsigmoid"
        nodes[ic] = helper.make_node("HardSigmoid", [x], [gate], name=gate, alpha=1 / 6, beta=0.5)
        nodes[idv] = helper.make_node("Mul", [x, gate], [nodes[idv].output[0]], name=f"{nodes[idv].name}.hardswish")
        nodes[i] = nodes[imu] = None
