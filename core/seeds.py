"""Seeds: the upstream gradient G = dL/dY, an m×n matrix of weights on Y's entries.

`tape.gradient(Y, T)` with a non-scalar Y uses the all-ones seed; `output_gradients=G` picks any
other. The constructors here return plain arrays; `SeedSpec` is the named choice a page or a URL
makes ("row 2", "entry 0,0"), turned into an array once Y's shape is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from core.errors import InputError
from core.limits import MAX_DIM
from core.strings import clip
from core.textforms import check_length, format_matrix, parse_index, parse_matrix, parse_pair
from core.validate import as_matrix, check_seed

SeedKind = Literal["ones", "entry", "entries", "row", "col", "weights"]


def ones(m: int, n: int) -> np.ndarray:
    """G = 1 everywhere: TensorFlow's default, i.e. L = sum(Y)."""
    return np.ones((m, n))


def one_entry(m: int, n: int, i: int, j: int) -> np.ndarray:
    """G = e_(i,j): L = Y[i,j], the gradient of one entry of Y."""
    return entries(m, n, [(i, j)])


def entries(m: int, n: int, cells: Iterable[tuple[int, int]]) -> np.ndarray:
    """G = 1 on the listed cells of Y, 0 elsewhere: L is the sum of those entries."""
    cells = list(cells)
    if len(cells) > m * n:
        raise InputError("err.too_many_entries", count=len(cells), cells=m * n)
    G = np.zeros((m, n))
    for i, j in cells:
        if not (0 <= i < m and 0 <= j < n):
            raise InputError("err.entry_out_of_range", i=i, j=j, m=m, n=n, m_last=m - 1, n_last=n - 1)
        G[i, j] = 1.0
    return G


def row(m: int, n: int, i: int) -> np.ndarray:
    """G = 1 on row i of Y: L = sum(Y[i, :])."""
    if not 0 <= i < m:
        raise InputError("err.row_out_of_range", i=i, m=m, m_last=m - 1)
    G = np.zeros((m, n))
    G[i, :] = 1.0
    return G


def column(m: int, n: int, j: int) -> np.ndarray:
    """G = 1 on column j of Y: L = sum(Y[:, j])."""
    if not 0 <= j < n:
        raise InputError("err.col_out_of_range", j=j, n=n, n_last=n - 1)
    G = np.zeros((m, n))
    G[:, j] = 1.0
    return G


def weights(W: object, m: int, n: int) -> np.ndarray:
    """G = W, any m×n weights: L = sum(W ⊙ Y)."""
    return check_seed(W, m, n)


# --- the seeds that losses produce ------------------------------------------------------------


def reduce_sum_seed(m: int, n: int) -> np.ndarray:
    """L = reduce_sum(Y) gives dL/dY = 1: the same seed TensorFlow uses by default."""
    return ones(m, n)


def reduce_mean_seed(m: int, n: int) -> np.ndarray:
    """L = reduce_mean(Y) gives dL/dY = 1/(m·n) in every cell."""
    return np.full((m, n), 1.0 / (m * n))


def squared_error_seed(Y: object, target: object) -> np.ndarray:
    """L = reduce_mean((Y − target)²) gives dL/dY = 2(Y − target)/N with N = m·n."""
    Y = as_matrix(Y, "Y")
    target = as_matrix(target, "target")
    if target.shape != Y.shape:
        m, n = Y.shape
        raise InputError("err.target_shape", rows=target.shape[0], cols=target.shape[1], m=m, n=n)
    return 2.0 * (Y - target) / Y.size


@dataclass(frozen=True)
class SeedSpec:
    """A named seed choice, independent of Y's shape until `matrix(m, n)` is asked for.

    `cells` holds the (i, j) of `entry`/`entries`, `index` the row or column of `row`/`col`, and
    `weights` the rows of a `weights` seed. Indices count from 0, as in Python and TensorFlow.
    Everything that differs between kinds is in the kind's row of `KINDS`.
    """

    kind: SeedKind = "ones"
    cells: tuple[tuple[int, int], ...] = ()
    index: int = 0
    weights: tuple[tuple[float, ...], ...] = ()

    def matrix(self, m: int, n: int) -> np.ndarray:
        """The m×n seed G this choice means for Y of shape (m, n)."""
        return KINDS[self.kind].matrix(self, m, n)

    @property
    def is_default(self) -> bool:
        """True for the all-ones seed, which `tape.gradient` uses when given no output_gradients."""
        return self.kind == "ones"


def seeded_cells(G: np.ndarray) -> list[tuple[int, int]]:
    """The cells of Y that the seed G weights (nonzero), row-major: the ones L depends on."""
    return [(int(i), int(j)) for i, j in np.argwhere(G != 0)]


# --- the table of seed kinds ---------------------------------------------------------------------
# Each kind's text form, matrix, resize, loss formula, what a click on Y does, what it keeps when a
# page switches to it, and how the quiz draws one: one row per kind, so that no other module asks
# which kind a seed is. (The model is TensorFlow Playground's state.ts: one table of properties.)

Cell = tuple[int, int]
Picker = Literal["none", "cell", "cells", "row", "col", "weights"]
"""The control a page offers to choose a seed of the kind: nothing, one cell of Y, a set of cells,
a row, a column, or an editor of weights."""

ONE = SeedSpec()


def _weights_of(G: object) -> SeedSpec:
    return SeedSpec("weights", weights=tuple(tuple(float(x) for x in r) for r in np.asarray(G, dtype=float)))


def _cells_in(spec: SeedSpec, m: int, n: int) -> SeedSpec:
    cells = tuple((i, j) for i, j in spec.cells if i < m and j < n)
    return SeedSpec(spec.kind, cells=cells) if cells else SeedSpec("entry", cells=((0, 0),))


def _parse_ones(body: str, text: str) -> SeedSpec:
    if body.strip():
        raise InputError("err.seed_unknown", text=clip(text))
    return ONE


def _parse_entries(body: str, text: str) -> SeedSpec:
    pairs = [p for p in body.split(";") if p.strip()]
    if not pairs:
        raise InputError("err.no_entries", text=clip(text))
    if len(pairs) > MAX_DIM * MAX_DIM:
        raise InputError("err.seed_text_too_many", count=len(pairs), limit=MAX_DIM * MAX_DIM)
    return SeedSpec("entries", cells=tuple(dict.fromkeys(parse_pair(p, text) for p in pairs)))  # each cell once


def _toggle(spec: SeedSpec, cell: Cell) -> SeedSpec:
    cells = tuple(c for c in spec.cells if c != cell) if cell in spec.cells else (*spec.cells, cell)
    return SeedSpec("entries", cells=cells) if cells else ONE


def _flip(G: np.ndarray, cell: Cell) -> SeedSpec:
    W = np.array(G, dtype=float)
    W[cell] = 0.0 if W[cell] else 1.0
    return _weights_of(W)


def _padded(spec: SeedSpec, m: int, n: int) -> SeedSpec:
    W = spec.weights
    return _weights_of([[W[i][j] if i < len(W) and j < len(W[0]) else 0.0 for j in range(n)] for i in range(m)])


def _random_entries(rng: np.random.Generator, m: int, n: int) -> SeedSpec:
    if m * n < 2:  # a set of entries needs two cells of Y
        return SeedSpec("entry", cells=((int(rng.integers(m)), int(rng.integers(n))),))
    count = int(rng.integers(2, min(3, m * n) + 1))
    flat = sorted(rng.choice(m * n, size=count, replace=False).tolist())
    return SeedSpec("entries", cells=tuple(divmod(int(c), n) for c in flat))


def _entry_text(spec: SeedSpec) -> str:
    return f"{spec.kind}:" + ";".join(f"{i},{j}" for i, j in spec.cells)


@dataclass(frozen=True)
class Kind:
    """One kind of seed: everything that differs between kinds.

    parse(body, text): the seed written `kind:body` (text, the whole, for messages);
    format(spec): its text form; matrix(spec, m, n): G for Y of shape (m, n);
    fit(spec, m, n): the seed kept valid for a new shape; loss(spec): the loss it stands for;
    anchor(spec): the cell of Y it points at, which a switch to another kind keeps;
    click(spec, cell, G): the seed after a click on Y[cell] (G, the current seed matrix);
    switch(anchor, spec, G): a seed of this kind made from the previous one (G, its matrix);
    pick(value): the seed its picker chose (a cell, a list of cells, an index);
    edited(spec, G): the seed after its weights G were edited (only weights have any);
    random(rng, m, n, integers): the quiz's draw; integers(shape) draws the weights.
    """

    name: SeedKind
    picker: Picker
    parse: Callable[[str, str], SeedSpec]
    format: Callable[[SeedSpec], str]
    matrix: Callable[[SeedSpec, int, int], np.ndarray]
    fit: Callable[[SeedSpec, int, int], SeedSpec]
    loss: Callable[[SeedSpec], str]
    anchor: Callable[[SeedSpec], Cell]
    click: Callable[[SeedSpec, Cell, np.ndarray], SeedSpec]
    switch: Callable[[Cell, SeedSpec, np.ndarray], SeedSpec]
    pick: Callable[[Any], SeedSpec]
    edited: Callable[[SeedSpec, np.ndarray], SeedSpec]
    random: Callable[[np.random.Generator, int, int, Callable[[tuple[int, int]], np.ndarray]], SeedSpec]


def _same(spec: SeedSpec, *_: object) -> SeedSpec:
    return spec


KINDS: dict[SeedKind, Kind] = {
    "ones": Kind(
        "ones",
        picker="none",
        parse=_parse_ones,
        format=lambda spec: "ones",
        matrix=lambda spec, m, n: ones(m, n),
        fit=_same,
        loss=lambda spec: "sum(Y)",
        anchor=lambda spec: (0, 0),
        click=lambda spec, cell, G: SeedSpec("entry", cells=(cell,)),  # "the gradient of this one entry"
        switch=lambda at, old, G: ONE,
        pick=lambda value: ONE,
        edited=_same,
        random=lambda rng, m, n, integers: ONE,
    ),
    "entry": Kind(
        "entry",
        picker="cell",
        parse=lambda body, text: SeedSpec("entry", cells=(parse_pair(body, text),)),
        format=_entry_text,
        matrix=lambda spec, m, n: entries(m, n, spec.cells),
        fit=_cells_in,
        loss=lambda spec: " + ".join(f"Y[{i},{j}]" for i, j in spec.cells),
        anchor=lambda spec: spec.cells[0],
        click=lambda spec, cell, G: SeedSpec("entry", cells=(cell,)),
        switch=lambda at, old, G: SeedSpec("entry", cells=(at,)),
        pick=lambda cell: SeedSpec("entry", cells=(tuple(cell),)),
        edited=_same,
        random=lambda rng, m, n, integers: SeedSpec("entry", cells=((int(rng.integers(m)), int(rng.integers(n))),)),
    ),
    "entries": Kind(
        "entries",
        picker="cells",
        parse=_parse_entries,
        format=_entry_text,
        matrix=lambda spec, m, n: entries(m, n, spec.cells),
        fit=_cells_in,
        loss=lambda spec: " + ".join(f"Y[{i},{j}]" for i, j in spec.cells),
        anchor=lambda spec: spec.cells[0],
        click=lambda spec, cell, G: _toggle(spec, cell),
        switch=lambda at, old, G: SeedSpec("entries", cells=old.cells or (at,)),
        pick=lambda cells: SeedSpec("entries", cells=tuple(tuple(c) for c in cells)) if cells else ONE,
        edited=_same,
        random=lambda rng, m, n, integers: _random_entries(rng, m, n),
    ),
    "row": Kind(
        "row",
        picker="row",
        parse=lambda body, text: SeedSpec("row", index=parse_index(body, text)),
        format=lambda spec: f"row:{spec.index}",
        matrix=lambda spec, m, n: row(m, n, spec.index),
        fit=lambda spec, m, n: SeedSpec("row", index=min(spec.index, m - 1)),
        loss=lambda spec: f"sum(Y[{spec.index}, :])",
        anchor=lambda spec: (spec.index, 0),
        click=lambda spec, cell, G: SeedSpec("row", index=cell[0]),
        switch=lambda at, old, G: SeedSpec("row", index=at[0]),
        pick=lambda i: SeedSpec("row", index=int(i)),
        edited=_same,
        random=lambda rng, m, n, integers: SeedSpec("row", index=int(rng.integers(m))),
    ),
    "col": Kind(
        "col",
        picker="col",
        parse=lambda body, text: SeedSpec("col", index=parse_index(body, text)),
        format=lambda spec: f"col:{spec.index}",
        matrix=lambda spec, m, n: column(m, n, spec.index),
        fit=lambda spec, m, n: SeedSpec("col", index=min(spec.index, n - 1)),
        loss=lambda spec: f"sum(Y[:, {spec.index}])",
        anchor=lambda spec: (0, spec.index),
        click=lambda spec, cell, G: SeedSpec("col", index=cell[1]),
        switch=lambda at, old, G: SeedSpec("col", index=at[1]),
        pick=lambda j: SeedSpec("col", index=int(j)),
        edited=_same,
        random=lambda rng, m, n, integers: SeedSpec("col", index=int(rng.integers(n))),
    ),
    "weights": Kind(
        "weights",
        picker="weights",
        parse=lambda body, text: _weights_of(parse_matrix(body, "G")),
        format=lambda spec: "weights:" + format_matrix(np.array(spec.weights)),
        matrix=lambda spec, m, n: weights([list(r) for r in spec.weights], m, n),
        fit=_padded,
        loss=lambda spec: "sum(G ⊙ Y)",
        anchor=lambda spec: (0, 0),
        click=lambda spec, cell, G: _flip(G, cell),
        switch=lambda at, old, G: _weights_of(G),
        pick=_weights_of,
        edited=lambda spec, G: _weights_of(G),
        random=lambda rng, m, n, integers: _weights_of(integers((m, n))),
    ),
}
SEED_KINDS: tuple[SeedKind, ...] = tuple(KINDS)


def parse_seed(text: str) -> SeedSpec:
    """The seed written as `ones`, `entry:i,j`, `entries:i,j;i,j`, `row:i`, `col:j` or `weights:…`."""
    text = check_length(text, "seed")
    name, _, body = text.partition(":")
    kind = KINDS.get(name.strip().lower())  # type: ignore[call-overload]
    if kind is None:
        raise InputError("err.seed_unknown", text=clip(text))
    return kind.parse(body, text)


def format_seed(spec: SeedSpec) -> str:
    """`spec` in its text form, the inverse of `parse_seed`."""
    return KINDS[spec.kind].format(spec)


def resize_seed(spec: SeedSpec, m: int, n: int) -> SeedSpec:
    """The seed kept valid for a new Y shape: cells outside dropped, a row or column clamped, weights cut or padded."""
    return KINDS[spec.kind].fit(spec, m, n)


def seed_loss(spec: SeedSpec) -> str:
    """The loss the seed stands for, as a formula: 'sum(Y)', 'Y[0,1] + Y[2,0]', 'sum(Y[1, :])', …"""
    return KINDS[spec.kind].loss(spec)


def clicked(spec: SeedSpec, cell: Cell, G: np.ndarray) -> SeedSpec:
    """The seed after a click on Y[cell]: the entry, a toggle in a set, its row or column, its weight flipped."""
    return KINDS[spec.kind].click(spec, cell, G)


def switched(spec: SeedSpec, kind: SeedKind, G: np.ndarray) -> SeedSpec:
    """A seed of `kind` that keeps what fits of `spec` (its cell, its cells, or its matrix G as weights)."""
    return KINDS[kind].switch(KINDS[spec.kind].anchor(spec), spec, G)


def picked(kind: SeedKind, value: Any) -> SeedSpec:
    """The seed of `kind` its picker chose: a cell, a list of cells, a row or a column index."""
    return KINDS[kind].pick(value)


def edited(spec: SeedSpec, G: object) -> SeedSpec:
    """The seed after the weights editor sent G (a seed without weights stays as it is)."""
    return KINDS[spec.kind].edited(spec, np.asarray(G, dtype=float))


def anchor(spec: SeedSpec) -> Cell:
    """The cell of Y the seed points at ((0, 0) where it points at none): what its pickers show."""
    return KINDS[spec.kind].anchor(spec)


def picker(spec: SeedSpec) -> Picker:
    """The control that chooses a seed of this kind."""
    return KINDS[spec.kind].picker


def random_seed(
    rng: np.random.Generator, m: int, n: int, integers: Callable[[tuple[int, int]], np.ndarray]
) -> SeedSpec:
    """A random seed of a random kind, for the quiz; `integers(shape)` draws a matrix of weights."""
    kind = SEED_KINDS[int(rng.integers(len(SEED_KINDS)))]
    return KINDS[kind].random(rng, m, n, integers)
