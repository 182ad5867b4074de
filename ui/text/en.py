"""The pages' sentences in English: every title, label, caption, help text and paragraph a page shows.

Only the sentences `core` produces itself stay in `core.strings` (the messages of `core.InputError`,
`core.explain`'s explanation, the presets' descriptions, the quiz's answer errors); everything the
pages and `ui` say is here, next to the code that shows it. A key lives in one of the two
catalogues, never both, and `ui.text.text` finds it in either (tests/unit/test_strings.py checks).
Keys are grouped by where the text appears. Numbers, code and formulas are put in by the caller,
never translated.
"""

from __future__ import annotations

EN_PAGES: dict[str, str] = {
    # --- a link's value not used (ui/language.py, ui/common.py) ----------------------------
    "err.url_param": "The link's “{param}” value was not used: {message}",
    # --- seeds (the playground's picker, the quiz) ---------------------------------------
    "seed.ones": "All ones (default)",
    "seed.entry": "One entry",
    "seed.entries": "A set of entries",
    "seed.row": "A row",
    "seed.col": "A column",
    "seed.weights": "Custom weights",
    "seed.ones.help": (
        "G is 1 everywhere: L = sum(Y). This is what tape.gradient(Y, T) does when Y is not a "
        "scalar. Click a cell of Y to take the gradient of that one entry instead."
    ),
    "seed.entry.help": "G is 1 at one cell of Y and 0 elsewhere: L = Y[a,b]. Click a cell of Y to move it.",
    "seed.entries.help": "G is 1 on the chosen cells of Y: L is their sum. Click cells of Y to add or remove them.",
    "seed.row.help": "G is 1 on one row of Y: L = sum(Y[a, :]). Click a cell of Y to take its row.",
    "seed.col.help": "G is 1 on one column of Y: L = sum(Y[:, b]). Click a cell of Y to take its column.",
    "seed.weights.help": (
        "G is any m×n matrix of weights: L = sum(G ⊙ Y). Edit G in the grid, or click a cell of Y "
        "to switch its weight between 0 and 1."
    ),
    # --- the playground page --------------------------------------------------------------
    "nav.playground": "Playground",
    "pg.title": "Gradflow: gradients through Y = T @ B",
    "pg.intro": (
        "`tape.gradient(Y, T)` with a matrix `Y` gives the gradient of **sum(Y)**: TensorFlow "
        "seeds every entry of Y with 1. Edit T and B, choose which entries of Y to seed, and click "
        "a gradient entry to see which numbers add up to it."
    ),
    "pg.preset": "Example",
    "pg.preset_help": "Load a ready-made pair of matrices. so-question is the case from the original question.",
    "pg.preset_custom": "— your own matrices —",
    "lang.label": "Language · 语言",
    "pg.shapes": "**Shapes**: T is m×k, B is k×n",
    "pg.dtype": "Precision",
    "pg.T_label": "**T** ({m}×{k})",
    "pg.B_label": "**B** ({k}×{n})",
    "pg.seed_mode": "Seed G = dL/dY",
    "pg.seed_entry": "Entry of Y",
    "pg.seed_entries": "Entries of Y",
    "pg.seed_row": "Row of Y",
    "pg.seed_col": "Column of Y",
    "pg.Y_title": "Y = T @ B ({m}×{n})",
    "pg.G_title": "seed G = dL/dY ({m}×{n})",
    "pg.grad_title": "dL/d{wrt} ({rows}×{cols})",
    "pg.contrib_heading": "Which entries contribute",
    "pg.focus": "Gradient entry",
    "pg.focus_none": "— none —",
    "pg.contrib_hint": "Click a cell of dL/dT or dL/dB above, or pick one here, to see its sum written out.",
    "pg.sum_symbols": "**{entry}** = {symbols}",
    "pg.sum_numbers": "= {numbers} = **{value}**",
    "pg.sum_tf": "TensorFlow ({dtype}) gives {entry} = {value}.",
    "pg.check_heading": "Three ways, one answer",
    "pg.check_ok": "TensorFlow, the formulas dL/dT = G @ Bᵀ, dL/dB = Tᵀ @ G and finite differences agree.",
    "pg.check_bad": "The three methods disagree beyond float tolerance. This is a bug: please report it.",
    "pg.check_no_tf": (
        "Without TensorFlow, the formulas are checked by finite differences: largest difference {fd} "
        "(tolerance {fd_tol})."
    ),
    "pg.check_numbers": (
        "Largest difference from the formula: TensorFlow ({dtype}) {tf} (tolerance {tf_tol}), "
        "finite differences {fd} (tolerance {fd_tol})."
    ),
    "pg.code_heading": "The same in TensorFlow",
    "pg.precision_heading": "float32 or float64: why −0.17307831 and not −0.17307832?",
    "pg.precision_text": (
        "TensorFlow makes Python floats, and lists of them, float32 unless told otherwise (a float64 "
        "NumPy array stays float64). A float32 holds about 7 significant digits: each entry of B is "
        "rounded to the nearest float32, and so is each partial sum, so the last printed digit can "
        "differ from exact arithmetic. Choose float64 in the sidebar to "
        "see the two agree. The order of the additions matters as well: on some processors (with "
        "AVX-512, for one) TensorFlow's oneDNN kernels add in another order and print −0.1730783, so "
        "Gradflow turns them off (`TF_ENABLE_ONEDNN_OPTS=0`) and every server prints the same digits. "
        "On an NVIDIA GPU of the Ampere generation or newer, TensorFlow (and JAX) multiply float32 "
        "matrices in TensorFloat-32 by default, with 10 bits of mantissa instead of 23, and the digits "
        "differ from about the fourth significant one; "
        "`tf.config.experimental.enable_tensor_float_32_execution(False)` turns that off. "
        "Row 0 of dL/dT:"
    ),
    "pg.precision_unavailable": (
        "These numbers are beyond float32's range, so TensorFlow's default precision cannot show them."
    ),
    "pg.col_entry": "entry",
    "pg.col_float32": "TensorFlow float32 prints",
    "pg.col_float32_exact": "that float32 to 17 digits",
    "pg.col_float64": "float64 to 17 digits",
    "pg.col_difference": "difference",
    "pg.numbers_heading": "Every matrix as numbers",
    "pg.numbers_help": (
        "Every digit as NumPy and TensorFlow print it: Y and the gradients in {dtype}, the inputs as typed."
    ),
    "pg.download": "Download all as CSV",
    "pg.share": "**Share this exact view**: the address bar always holds it; copy this link:",
    # --- shared by pages ------------------------------------------------------------------
    "common.own_matrices": "your own matrices",
    "common.summary": "Showing **{name}**: T is {m}×{k}, B is {k}×{n}, seed `{seed}`, {dtype}.",
    "common.summary_no_seed": "Showing **{name}**: T is {m}×{k}, B is {k}×{n}, {dtype}.",
    "common.edit_link": "Edit the matrices and the seed in the playground",
    "common.no_tf": (
        "TensorFlow could not be loaded on this server ({reason}). The playground and the quiz show "
        "the formulas' results instead (dL/dT = G @ Bᵀ, dL/dB = Tᵀ @ G, checked by finite differences); "
        "the pages that run TensorFlow itself are unavailable until the server's installation is repaired."
    ),
    "common.no_tf_page": (
        "This page runs TensorFlow, which this server could not load. The playground still shows every "
        "gradient, computed from the formulas."
    ),
    # --- the notebook to take home (ui/download.py; every page that shows a program) -------
    "nb.download": "Download as notebook",
    "nb.download_help": (
        "A Jupyter notebook (.ipynb) with this page's programs for these matrices, seed and precision: "
        "run all its cells and they print the numbers shown here."
    ),
    "nb.intro": (
        "The programs of Gradflow's page “{page}” for this problem: {problem}\n\n"
        "The same view in Gradflow: {link}\n\n"
        "Run all cells with a Python that has TensorFlow: each program prints the numbers the page shows."
    ),
    "nb.problem": "**{name}**, T is {m}×{k}, B is {k}×{n}, seed `{seed}`, {dtype}.",
    "nb.problem_no_seed": "**{name}**, T is {m}×{k}, B is {k}×{n}, {dtype}.",
    "nb.pg.program": "TensorFlow's gradients of Y = T @ B, seed `{seed}`, {dtype}: it prints dL/dT, then dL/dB.",
    "nb.jac.program": (
        "The full Jacobians dY/dT and dY/dB, and the seed-weighted sum of dY/dT's rows that equals "
        "`tape.gradient`: the program prints the three shapes, then dL/dT."
    ),
    "nb.loss.program": (
        "TensorFlow differentiates the loss `{loss}`: the program prints the seed dL/dY it produces, "
        "then dL/dT and dL/dB."
    ),
    "nb.quiz.question": "The question: predict what the last line prints, then run the cell.",
    "nb.quiz.answer": "The answer as one complete program: it prints dL/dT, then dL/dB.",
    "nb.fw.raises": (
        "This program raises an error, as the page shows; its cell is tagged `raises-exception`, "
        "so “Run all” goes on after it."
    ),
    # --- the Jacobian page ----------------------------------------------------------------
    "nav.jacobian": "The full Jacobian",
    "jac.title": "The full Jacobian, and how tape.gradient collapses it",
    "jac.intro": (
        "The derivative of a matrix Y with respect to a matrix T is a 4-D array: one number "
        "∂Y[a,b]/∂T[i,j] for every pair of entries. `tape.jacobian(Y, T)` computes it; "
        "`tape.gradient(Y, T)` never does: it only needs the seed-weighted sum of its rows."
    ),
    "jac.wrt": "Jacobian with respect to",
    "jac.shapes_heading": "Shapes",
    "jac.shapes": (
        "`tape.jacobian(Y, T).shape` = {JT}  ·  `tape.jacobian(Y, B).shape` = {JB}  ·  "
        "`tape.batch_jacobian(Y, T).shape` = {JBatch}"
    ),
    "jac.batch": (
        "`batch_jacobian` treats the first axis as a batch: it returns only ∂Y[a,:]/∂T[a,:] for each "
        "row a, the diagonal blocks. That is everything for Y = T @ B, because row a of Y depends on "
        "row a of T alone (every other block is zero), and each of those blocks is Bᵀ. It does not "
        "apply to B, which every row of Y uses."
    ),
    "jac.block_heading": "The Jacobian as a block matrix",
    "jac.block_T": (
        "Rows are the entries Y[a,b], columns the entries T[i,j], both in row-major order as in "
        "TensorFlow's guide. Y[a,b] = Σ_j T[a,j]·B[j,b] depends only on row a of T, so the matrix is "
        "block diagonal, and every block is Bᵀ: it is kron(I_m, Bᵀ). Largest difference between "
        "TensorFlow's Jacobian and kron(I_m, Bᵀ): {diff}."
    ),
    "jac.block_B": (
        "Rows are the entries Y[a,b], columns the entries B[j,p], both row-major. Y[a,b] depends on "
        "column b of B, with weights T[a,j]: the matrix is kron(T, I_n). Largest difference "
        "between TensorFlow's Jacobian and kron(T, I_n): {diff}."
    ),
    "jac.sliced": (
        "The block matrix is {rows}×{cols}, too large to draw legibly: shown are its first "
        "{shown_rows} rows and {shown_cols} columns (the labels say which)."
    ),
    "jac.bridge_heading": "From the Jacobian to tape.gradient",
    "jac.bridge": (
        "Weight each row Y[a,b] of the Jacobian by the seed G[a,b] and add the rows up: the result, "
        "folded back to the shape of {wrt}, is dL/d{wrt}. Framed rows are the ones the seed picks."
    ),
    "jac.bridge_ones": (
        "The seed is all ones, so dL/d{wrt} is the plain sum of all the Jacobian's rows: that sum is "
        "what `tape.gradient(Y, {wrt})` returns for a non-scalar Y."
    ),
    "jac.bridge_one": (
        "The seed picks one entry, so dL/d{wrt} is a single row of the Jacobian: the gradient of "
        "{entry} is row {entry}, folded back to the shape of {wrt}."
    ),
    "jac.bridge_some": "The seed weights {count} of the Jacobian's {rows} rows; the others count zero times.",
    "jac.weights_title": "weights G",
    "jac.sum_title": "Σ weight × row, folded: dL/d{wrt} ({rows}×{cols})",
    "jac.grad_title": "tape.gradient: dL/d{wrt} ({rows}×{cols})",
    "jac.check": "The weighted sum of rows equals `tape.gradient`: largest difference {diff}.",
    "jac.check_bad": "The weighted sum of rows differs from `tape.gradient` by {diff}: this is a bug.",
    "jac.code_heading": "The same in TensorFlow",
    # --- the losses page ------------------------------------------------------------------
    "nav.losses": "Where seeds come from",
    "loss.title": "Where seeds come from: a loss on Y",
    "loss.intro": (
        "In training, Y is never the end: a scalar loss L(Y) is. TensorFlow differentiates L, and "
        "dL/dY is exactly the seed that flows back into T and B. Pick a loss to see the seed it "
        "produces, then check that `tape.gradient(L, T)` equals `tape.gradient(Y, T, output_gradients=seed)`."
    ),
    "loss.pick": "Loss L(Y)",
    "loss.sum": "reduce_sum(Y)",
    "loss.mean": "reduce_mean(Y)",
    "loss.sq-error": "mean squared error against a target",
    "loss.entry": "one entry Y[a,b]",
    "loss.seed.sum": "dL/dY = 1 in every cell: the same seed TensorFlow uses in tape.gradient(Y, T) for a matrix Y.",
    "loss.seed.mean": "dL/dY = 1/(m·n) = 1/{mn} = {value} in every cell.",
    "loss.seed.sq-error": "dL/dY = 2(Y − target)/N with N = m·n = {mn}.",
    "loss.seed.entry": "dL/dY is 1 at Y[{i},{j}] and 0 elsewhere (one-hot).",
    "loss.target": "Target ({m}×{n})",
    "loss.entry_pick": "Entry of Y",
    "loss.value": "L ({dtype})",
    "loss.seed_heading": "The seed this loss produces",
    "loss.seed_tf_title": "dL/dY by TensorFlow ({m}×{n})",
    "loss.seed_formula_title": "the formula's seed ({m}×{n})",
    "loss.grad_heading": "Gradients: from the real loss, and from the seed",
    "loss.from_loss_title": "from L: dL/d{wrt} ({rows}×{cols})",
    "loss.from_seed_title": "from the seed: dL/d{wrt} ({rows}×{cols})",
    "loss.agree": "The two agree: largest difference {diff} ({dtype}).",
    "loss.disagree": "The two differ by {diff}: this is a bug.",
    "loss.mean_rows": (
        "Every row of dL/dT is B's row sums divided by m·n = {mn}: [{values}]. The mean spreads "
        "the all-ones seed evenly, so the answer to the original question is simply scaled."
    ),
    "loss.code_heading": "The same in TensorFlow",
    # --- the pitfalls page ----------------------------------------------------------------
    "nav.pitfalls": "Pitfalls",
    "pf.title": "GradientTape pitfalls, run live",
    "pf.intro": (
        "Each mistake below is executed by TensorFlow on the current matrices, right now: the setup "
        "lines and the snippet shown are exactly the program that ran, and the outcome is what it "
        "printed, or TensorFlow's own error message. Then the repair, also run. Paste the setup "
        "lines and a snippet into a fresh Python with TensorFlow and you get the same output. The seed "
        "in the summary below (the upstream gradient dL/dY) is the weight `tape.gradient` gives each "
        "entry of Y: all ones when no `output_gradients` is passed."
    ),
    "pf.setup": "Every snippet starts from these lines (the current T and B, exactly):",
    "pf.mistake": "The mistake",
    "pf.repair": "The repair",
    "pf.outcome_value": "It printed:",
    "pf.outcome_none": "`result` is **None**: no gradient at all, and no error. It printed:",
    "pf.outcome_error": "It raised an error:",
    "pf.core_message": "The same seed given to Gradflow's core gives a message a student can act on:",
    "pf.twice.title": "Calling gradient twice on a non-persistent tape",
    "pf.twice.why": (
        "A tape frees what it recorded after the first `gradient` call, to save memory, so a second "
        "call on the same tape raises. (The original question's code calls `gradient` once per tape, "
        "so it does not meet this; asking the same tape for a second gradient, of Y[0, 0] say, does.) "
        "Use `persistent=True` (and `del tape` after), or one tape per gradient."
    ),
    "pf.slice_outside.title": "Slicing Y[0, 0] outside the tape",
    "pf.slice_outside.why": (
        "`Y[0, 0]` is a new operation. Done after the `with` block, the tape never saw it, so it "
        "cannot connect it to T: the gradient is None. Slice inside the block."
    ),
    "pf.unwatched.title": "An unwatched tf.constant",
    "pf.unwatched.why": (
        "A tape records only operations on what it watches: trainable `tf.Variable`s automatically, "
        "tensors only after `tape.watch`. A tensor that is neither watched nor computed inside the tape "
        "from a watched one gets None. (Results computed inside the tape from watched tensors, like Y "
        "here, do get gradients: the losses page takes `tape.gradient(L, Y)`.)"
    ),
    "pf.variable_replaced.title": "A tf.Variable replaced by a Tensor",
    "pf.variable_replaced.why": (
        "`T_var = T_var - 0.5` does not change the Variable: it makes a new Tensor and rebinds the "
        "name to it. The tape watches Variables automatically, but not that Tensor, so the gradient is "
        "None. Change a Variable in place with `assign`, `assign_add` or `assign_sub`."
    ),
    "pf.numpy_inside.title": "Leaving TensorFlow inside the tape",
    "pf.numpy_inside.why": (
        "The tape records TensorFlow operations only. `.numpy()` and NumPy's `@` compute the product "
        "outside it, and `tf.constant` turns the result into a new tensor with no history: the "
        "gradient is None, and no error says so. Keep every step between the watched input and the "
        "target in TensorFlow operations."
    ),
    "pf.non_differentiable.title": "A step without a gradient in the middle",
    "pf.non_differentiable.why": (
        "Some operations have no gradient: `tf.round`, `tf.argmax`, a cast to an integer and back. "
        "TensorFlow records them, but nothing flows back through them, so the gradient is silently "
        "None. If the rounding is wanted, the “straight-through” trick rounds in the forward pass and "
        "lets the gradient through unchanged: `T + tf.stop_gradient(tf.round(T) - T)`."
    ),
    "pf.assign_inside.title": "A stateful assign inside the tape",
    "pf.assign_inside.why": (
        "`S.assign(2 * T_var)` writes into another Variable: the tape does not differentiate through "
        "an assignment, so Y, computed from S, is not connected to T_var and the gradient is None. "
        "Compute with Tensors inside the tape (`S = 2 * T_var`), and assign outside it. The repair's "
        "gradient is twice B's row sums, because S = 2T."
    ),
    "pf.integer.title": "An integer dtype",
    "pf.integer.why": (
        "Gradients are defined only for floating-point tensors. `tape.watch` on an integer tensor "
        "logs a warning (only the first few times in a process) and still watches it, but no "
        "gradient flows back through an integer MatMul: the result is None. Cast to a float dtype first."
    ),
    "pf.seed_shape.title": "output_gradients of the wrong shape",
    "pf.seed_shape.why": (
        "The seed is dL/dY, so it must have Y's shape. TensorFlow does not check: it multiplies the "
        "seed by Bᵀ and reports a MatMul size mismatch deep inside. (A seed with only the wrong number "
        "of rows is not even an error: it silently returns a gradient of the wrong shape.)"
    ),
    "pf.seed_dtype.title": "output_gradients of the wrong dtype",
    "pf.seed_dtype.why": (
        "The seed must also have Y's dtype: a float64 seed for a float32 Y, or a float32 seed for a "
        "float64 Y, fails inside MatMul. Here Y is {dtype} and the seed {other}. Cast the seed with "
        "`tf.cast(G, Y.dtype)`."
    ),
    "pf.unconnected.title": "unconnected_gradients=tf.UnconnectedGradients.ZERO",
    "pf.unconnected.why": (
        "ZERO turns None into zeros. Handy in a training loop, but here it hides the real mistake: T "
        "was never watched, and its true gradient is not zero."
    ),
    # --- the quiz page --------------------------------------------------------------------
    "nav.quiz": "Quiz",
    "quiz.title": "Quiz: predict the gradient, then check it",
    "quiz.intro": (
        "A small problem in whole numbers: T, B and a seed G. Work out what `tape.gradient` returns, "
        "type your prediction and check it. Every wrong entry is then written out as its sum of "
        "contributions, so you can see which term you missed."
    ),
    "quiz.problem": "Problem **{q}**: T is {m}×{k}, B is {k}×{n}, so Y = T @ B is {m}×{n}.",
    "quiz.score": "Score this session: **{right} of {total}** correct.",
    "quiz.score_none": "Score this session: no problem checked yet.",
    "quiz.score_help": "Each problem counts once, at its first check.",
    "quiz.new": "New problem",
    "quiz.new_help": "Draw a random problem; the link in the address bar changes with it.",
    "quiz.seed.ones": (
        "The seed G is 1 everywhere, so L = {loss}: what `tape.gradient(Y, [T, B])` does when it is "
        "given no output_gradients."
    ),
    "quiz.seed.entry": "The seed G is 1 at one entry of Y and 0 elsewhere, so L = {loss}.",
    "quiz.seed.entries": "The seed G is 1 at {count} entries of Y and 0 elsewhere, so L = {loss}.",
    "quiz.seed.row": "The seed G is 1 on row {index} of Y and 0 elsewhere, so L = {loss}.",
    "quiz.seed.col": "The seed G is 1 on column {index} of Y and 0 elsewhere, so L = {loss}.",
    "quiz.seed.weights": "The seed G holds the weights shown, so L = {loss}.",
    "quiz.G_title": "seed G ({m}×{n})",
    "quiz.ask_one": "**Predict {entry}**: one number.",
    "quiz.ask_all": "**Predict all of {name}** ({rows}×{cols}): one number in every cell.",
    "quiz.hint_heading": "Hint: the formulas",
    "quiz.hint": (
        "dL/dT[i,j] = Σ_p G[i,p]·B[j,p] and dL/dB[j,p] = Σ_i T[i,j]·G[i,p]: each entry is a sum of "
        "contributions, one for every entry of the seed in its row (for dL/dT) or column (for dL/dB)."
    ),
    "quiz.your_one": "Your {entry}",
    "quiz.your_all": "Your {name} ({rows}×{cols})",
    "quiz.input_help": "Whole numbers, decimals or fractions: 3, −2, 2.5, 7/2.",
    "quiz.check": "Check",
    "quiz.correct_one": "Correct: {entry} = {value}.",
    "quiz.wrong_one": "Not quite: you wrote {yours}, but {entry} = {value}.",
    "quiz.correct_all": "Correct: all {total} entries of {name} are right.",
    "quiz.wrong_all": "Not quite: {right} of {total} entries of {name} are right.",
    "quiz.rechecked": "This problem was scored at its first check; checking again does not change the score.",
    "quiz.col_entry": "entry",
    "quiz.col_yours": "yours",
    "quiz.col_answer": "TensorFlow",
    "quiz.col_verdict": "verdict",
    "quiz.mark_right": "✓ right",
    "quiz.mark_wrong": "✗ wrong",
    "quiz.answer_help_one": "TensorFlow's {name}: the framed cell is the entry you predicted.",
    "quiz.answer_help_all": "TensorFlow's {name}: framed cells are the entries you got wrong.",
    "quiz.answer_help_right": "TensorFlow's {name}: every entry is as you predicted.",
    "quiz.contrib_heading": "Where the wrong entries come from",
    "quiz.contrib_intro": (
        "Each gradient entry is a sum of contributions: one term for each entry of G in its row (for "
        "dL/dT) or in its column (for dL/dB). Every wrong entry, written out term by term:"
    ),
    "quiz.sum_symbols": "**{entry}** = {symbols}",
    "quiz.sum_numbers": "= {numbers} = **{value}** (you wrote {yours})",
    "quiz.disagree": (
        "TensorFlow and the formula disagree on this problem by {diff}: this is a bug, please report it."
    ),
    "quiz.code_heading": "The same in TensorFlow",
    "quiz.share": "**Share this problem**: this link shows the same problem to the whole class.",
    # --- the frameworks page --------------------------------------------------------------
    "nav.frameworks": "TensorFlow, PyTorch, JAX",
    "fw.title": "The same gradient in TensorFlow, PyTorch and JAX",
    "fw.intro": (
        "Y = T @ B and its gradients on the current matrices, written in three frameworks. They agree "
        "on the numbers (on a CPU; not on every GPU, see below) but not on what a gradient of a matrix "
        "Y means: TensorFlow silently sums Y, "
        "PyTorch and JAX refuse and ask for a seed. Every program below is complete: copy it and run it."
    ),
    "fw.numbers_source": (
        "PyTorch and JAX are not installed in this app: every output below is computed by TensorFlow "
        "here, in {dtype}. PyTorch and JAX do the same {dtype} arithmetic, so on a CPU they print the "
        "same numbers (at most the last digit can differ, as each adds in its own order). The test "
        "suite runs every program with torch {torch} and jax {jax} and checks its output and its error "
        "message against this page. On an NVIDIA GPU of the Ampere generation or newer, TensorFlow "
        "and JAX multiply float32 matrices in TensorFloat-32 by default and PyTorch does not "
        "(`torch.backends.cuda.matmul.allow_tf32` is False), so their float32 numbers differ from "
        "about the fourth significant digit."
    ),
    "fw.seed_default": (
        "The seed is all ones, the current problem's seed: the seeded calls pass explicitly what "
        "TensorFlow assumes. Choose another seed in the playground and they will differ from the default."
    ),
    "fw.jax_x64": "JAX computes in float32 unless `jax_enable_x64` is on, so the float64 programs turn it on first.",
    "fw.step.default": "1. The default: the gradient of a matrix Y, no seed given",
    "fw.step.seeded": "2. The seeded call: the seed G = dL/dY given explicitly",
    "fw.step.jacobian": "3. The Jacobian call: all of dY/dT and dY/dB",
    "fw.tensorflow.name": "TensorFlow",
    "fw.pytorch.name": "PyTorch",
    "fw.jax.name": "JAX",
    "fw.tensorflow.default": (
        "No error and no warning: for a non-scalar target, `tape.gradient` silently differentiates "
        "**sum(Y)**, the all-ones seed. Every row of dL/dT is B's row sums."
    ),
    "fw.pytorch.default": (
        "`Y.backward()` refuses a Y with more than one entry: it needs a scalar, or the seed passed as `gradient=`."
    ),
    "fw.pytorch.default_scalar": (
        "Y has a single entry, which PyTorch accepts as a scalar: `Y.backward()` works and gives the "
        "gradient of that entry. With more entries it raises “{message}”."
    ),
    "fw.jax.default": (
        "`jax.grad` refuses any function whose output is not a scalar of shape (), even a 1×1 matrix: "
        "the seed goes through `jax.vjp` instead."
    ),
    "fw.tensorflow.seeded": (
        "`output_gradients=G` passes the seed: the result is the gradient of L = sum(G ⊙ Y), "
        "dL/dT = G @ Bᵀ and dL/dB = Tᵀ @ G."
    ),
    "fw.pytorch.seeded": (
        "`Y.backward(gradient=G)` passes the seed; the gradients land in `T.grad` and `B.grad`. A "
        "second `backward` through the same Y raises a RuntimeError (the graph is freed) unless the "
        "first passed `retain_graph=True`; then, as after a new forward pass, the gradients add up."
    ),
    "fw.jax.seeded": "`jax.vjp` returns Y and a function that turns a seed G into the gradients: `vjp(G)`.",
    "fw.tensorflow.jacobian": (
        "`tape.jacobian(Y, T)` has shape (m, n, m, k): one gradient of T for every entry of Y "
        "(a persistent tape, to ask twice)."
    ),
    "fw.pytorch.jacobian": (
        "`torch.autograd.functional.jacobian` differentiates a function with respect to each input: "
        "the same two Jacobians."
    ),
    "fw.jax.jacobian": "`jax.jacrev` (reverse mode, one vjp per entry of Y) gives the same two Jacobians.",
    "fw.contraction": (
        "Weighting the Jacobian's rows by the seed and adding them up (the einsum) gives the seeded gradients again."
    ),
    "fw.prints": "It prints ({dtype}):",
    "fw.zero_sign": (
        "±0.0: every term of this sum may be −0.0 (or is too small to keep its sign), and whether "
        "{framework} then prints `0.` or `-0.` depends on the kernel it picks for these shapes, and on "
        "the processor. TensorFlow's tab shows what TensorFlow prints here."
    ),
    "fw.raises": "It raises:",
    "fw.trap_heading": "A naming trap: PyTorch's “Jacobian-vector product”",
    "fw.trap": (
        "The documentation of `torch.autograd.backward`, which `Y.backward(gradient=G)` calls, says that "
        "for a non-scalar output “the Jacobian-vector product would be computed”, with the seed as its "
        "“vector”. What it computes is **vᵀJ**, with v = G flattened and J the Jacobian as a matrix with "
        "one row per entry of Y: a *vector-Jacobian* product. v has one entry per entry of Y (m×n), and "
        "the result one per entry of T (m×k), like every seeded output above. TensorFlow's "
        "`output_gradients` and JAX's `jax.vjp` compute the same vᵀJ, and the documentation of "
        "`torch.autograd.grad` calls it a “vector-Jacobian product”. A true Jacobian-vector product J·v "
        "takes a v with one entry per entry of T and returns one per entry of Y: that is forward mode "
        "(`jax.jvp`, `torch.func.jvp`, `tf.autodiff.ForwardAccumulator`)."
    ),
    "fw.check": (
        "TensorFlow's seeded gradients agree with the formulas G @ Bᵀ and Tᵀ @ G: largest difference "
        "{diff} (tolerance {tol})."
    ),
    "fw.check_bad": (
        "TensorFlow's seeded gradients differ from the formulas G @ Bᵀ and Tᵀ @ G by {diff} "
        "(tolerance {tol}): this is a bug, please report it."
    ),
    # --- the lesson at a glance (pages/playground.py) -------------------------------------
    "pg.lesson_B_title": "B ({k}×{n}) and its row sums Σ",
    "pg.legend": "How cells are marked",
    "pg.legend_seeded": "seeded entry of Y",
    "pg.legend_contributing": "adds up to the picked entry",
    "pg.legend_linked": "a row of B and the column of dL/dT it becomes",
    "pg.legend_picked": "picked entry (or the term being added)",
    "pg.legend_changed": "changed by the last edit",
    "pg.link": "Follow a row of B to dL/dT",
    "pg.link_none": "— none —",
    "pg.link_option": "row {p} of B → column {p} of dL/dT",
    "pg.link_help": (
        "Click a cell of B, or pick a row here: its cells and the column of dL/dT they make are framed with dots."
    ),
    "pg.forward_heading": "The product and the seed",
    "pg.colours": ("Blue is negative, red positive, white zero. Click a cell of dL/dT or dL/dB to write out its sum."),
    "pg.step_start": "Step through the sum",
    "pg.step_prev": "◀ Previous term",
    "pg.step_next": "Next term ▶",
    "pg.step_all": "Whole sum",
    "pg.step_term": "Term {p} of {count}: {symbol} = {a}·{b} = **{product}**. Running total: **{total}**.",
    "pg.step_done": "All {count} terms added: {entry} = **{total}**.",
    "pg.more_heading": "Check, code and numbers",
    "present.label": "Presenter view",
    "present.help": (
        "Bigger numbers for a projector, with the check, the code and the numbers folded. Kept in share "
        "links as present=1."
    ),
    # --- the Jacobian's block matrix: its legend ------------------------------------------
    "jac.marks_some": (
        "· is a zero. Lines divide the blocks: {block} rows per row of Y. A dark bar left of a row marks "
        "a row the seed weights; unmarked rows are multiplied by zero."
    ),
    "jac.marks_all": (
        "· is a zero. Lines divide the blocks: {block} rows per row of Y. The seed weights every row "
        "(no entry of G is zero), so no row is marked: all of them are added up."
    ),
    # --- the two-layer chain (pages/chain.py) ------------------------------------------------
    "nav.chain": "Backprop through two layers",
    "chain.title": "Backprop through two layers: every matmul gets a seed",
    "chain.intro": (
        "Z = X @ W1 + b1, H = act(Z), Y = H @ W2 + b2, L = sum(G ⊙ Y). One `tf.GradientTape` over the "
        "whole network gives every gradient below. The gradient that arrives at a matmul from the layer "
        "above **is** that matmul's seed: dL/dZ is to Z = X @ W1 what G is to the playground's Y = T @ B."
    ),
    "chain.preset": "Network",
    "chain.preset_custom": "your own network",
    "chain.act": "Activation act",
    "chain.dtype": "Precision (dtype)",
    "chain.edit": "Edit X, W1, W2, b1, b2",
    "chain.edit_help": (
        "Rows separated by ';', numbers by ','; b1 and b2 are one row each, and an empty bias means no bias. "
        "At most 8×8."
    ),
    "chain.forward_heading": "Forward: X → Z → H → Y",
    "chain.forward_text": (
        "Z = X @ W1 + b1, H = {act}(Z), Y = H @ W2 + b2. The framed cells of Y are the ones the seed weights."
    ),
    "chain.X_title": "X ({shape})",
    "chain.W1_title": "W1 ({shape})",
    "chain.Z_title": "Z = X @ W1 + b1 ({shape})",
    "chain.H_title": "H = {act}(Z) ({shape})",
    "chain.W2_title": "W2 ({shape})",
    "chain.Y_title": "Y = H @ W2 + b2 ({shape}): click to seed",
    "chain.seed_mode": "Seed G = dL/dY",
    "chain.seed_help": "The same seeds as on the playground; a click on a cell of Y chooses it as there.",
    "chain.loss": "Here L = {loss}.",
    "chain.backward_heading": "Backward, in the order the tape computes it",
    "chain.backward_text": (
        "From the seed down: dL/dW2 = Hᵀ G and dL/db2 (the column sums of G: a bias broadcast over the rows "
        "adds up their gradients), dL/dH = G W2ᵀ (**the seed that arrives at the activation**), "
        "dL/dZ = dL/dH ⊙ act'(Z) (**the seed of the first matmul**), then dL/dW1 = Xᵀ dL/dZ, dL/db1 and "
        "dL/dX = dL/dZ W1ᵀ. Click any gradient entry to write out its sum."
    ),
    "chain.dY_title": "dL/dY = G ({shape})",
    "chain.dW2_title": "dL/dW2 = Hᵀ G ({shape})",
    "chain.db2_title": "dL/db2 (1×{n})",
    "chain.dH_title": "dL/dH = G W2ᵀ ({shape}): the seed at act",
    "chain.slope_title": "act'(Z) for {act} ({shape})",
    "chain.dZ_title": "dL/dZ = dL/dH ⊙ act'(Z) ({shape}): the first matmul's seed",
    "chain.dW1_title": "dL/dW1 = Xᵀ dL/dZ ({shape})",
    "chain.db1_title": "dL/db1 (1×{n})",
    "chain.dX_title": "dL/dX = dL/dZ W1ᵀ ({shape})",
    "chain.dead_units": (
        "Dead hidden units: {units}. act'(Z) is 0 in every row of these columns, so nothing passes them: "
        "their columns of dL/dZ, dL/dW1 and dL/db1 are 0, whatever dL/dH says."
    ),
    "chain.sum_heading": "One gradient entry, written out",
    "chain.focus": "Gradient entry",
    "chain.focus_none": "none: click a gradient cell",
    "chain.sum_hint": "Click a cell of any gradient above (or pick one here) to see the sum that makes it.",
    "chain.sum_symbols": "**{entry}** = {symbols}",
    "chain.sum_numbers": "= {numbers} = **{value}**",
    "chain.sum_tf": "TensorFlow ({dtype}) gives {entry} = {value}.",
    "chain.sum_passed": "The activation let this entry through: {entry} is dL/dH times the slope act'(Z).",
    "chain.sum_stopped": "The activation stopped this entry: act'(Z) is 0 here (a dead ReLU), so {entry} is 0.",
    "chain.check_heading": "Check: one tape, the formulas, finite differences, two playgrounds",
    "chain.check_tf": ("The tape ({dtype}) agrees with the formulas: largest difference {diff} (tolerance {tol})."),
    "chain.check_fd": "Finite differences agree with the formulas: largest difference {diff} (tolerance {tol}).",
    "chain.check_two": (
        "As two playgrounds: Y = H @ W2 with the seed G, and Z = X @ W1 alone with output_gradients = dL/dZ, "
        "give the tape's dL/dW2, dL/dH, dL/dW1 and dL/dX ({dtype}): largest difference {diff} (tolerance {tol})."
    ),
    "chain.check_bad": "The methods disagree beyond float tolerance. This is a bug: please report it.",
    "chain.kinks": (
        "A ReLU sits on its kink at {cells}: Z is 0 there (in this dtype), where ReLU has no derivative. "
        "TensorFlow takes slope 0; finite differences straddle both slopes. Only the two playgrounds must agree."
    ),
    "chain.code_heading": "The TensorFlow program for this view",
    "chain.nb_program": "The two-layer network under one tape: it prints every gradient the page shows.",
    "chain.about": "**{name}**, act = {act}, seed `{seed}`, {dtype}.",
    "chain.share": "**Share this exact view**: the address bar always holds it; copy this link:",
    "chain.seed_ones_help": (
        "G is 1 everywhere: L = sum(Y). This is what tape.gradient(Y, [X, W1, b1, W2, b2]) does when Y is "
        "not a scalar. Click a cell of Y to take the gradient of that one entry instead."
    ),
    "a11y.chart": "{name}, {rows} by {cols}",
    "a11y.table": "{label}: the numbers as a table",
    "a11y.picker": "; a click on a cell does what “{picker}” does from the keyboard",
    "nav.teacher": "Teacher",
    "teacher.title": "Teacher: the class at a glance",
    "teacher.intro": (
        "Create a class, show its student link or QR code to the class, and watch "
        "the answers arrive. Only the teacher link opens a class's answers: keep "
        "it to yourself."
    ),
    "teacher.new": "New class",
    "teacher.new_help": (
        "Creates a class with its own code and teacher key. Classes and their answers are deleted after {days} days."
    ),
    "teacher.rate_limited": "Too many new classes from here just now: wait a minute, then try again.",
    "teacher.unavailable": "The class database cannot be reached right now. Try again in a moment.",
    "teacher.no_class": (
        "This teacher link does not open a class: the code or the key is wrong, "
        "or the class was deleted (classes are kept {days} days)."
    ),
    "teacher.student_link": "**Student link** for class **{code}**: students open it, or scan the QR code.",
    "teacher.qr_caption": "QR code of the student link",
    "teacher.teacher_link": ("**Teacher link**: the only way back to these answers. Keep it private (bookmark it)."),
    "teacher.students": "Students joined",
    "teacher.answers": "Answers",
    "teacher.ended": "This class has ended: it takes no more answers.",
    "teacher.none_yet": "No answers yet. They appear here within seconds of each Check.",
    "teacher.problem_line": "**Problem {q}**: {n} answers, {k} right ({share} right)",
    "teacher.in_front": "(in front of the class)",
    "teacher.entry_line": "{entry} = {value}: {right} of {n} right",
    "teacher.col_value": "Wrong value",
    "teacher.col_count": "Students",
    "teacher.col_reveals": "What it reveals",
    "teacher.first_only": "Each student's first answer to a problem counts; rechecks are in the CSV.",
    "teacher.nicknames": "Nicknames: {names}",
    "teacher.current": "In front of the class: problem **{q}**.",
    "teacher.current_none": "No problem set: each student works on their own.",
    "teacher.put_label": "Problem number",
    "teacher.put": "Put in front of the class",
    "teacher.put_random": "A random problem",
    "teacher.put_free": "Let students choose",
    "teacher.end": "End class",
    "teacher.end_help": ("Stops collecting answers. The answers stay readable here until the class is deleted."),
    "teacher.csv": "Download every answer (CSV)",
    "teacher.refresh": "Refreshes itself every {seconds} s.",
    "class.diag.ones_seed": "computed with the all-ones seed (tape.gradient's default), not this seed",
    "class.diag.column_not_row": "a column of B (or T) instead of a row: the matrix without its transpose",
    "class.diag.transpose": "the right gradient's entry with its indices swapped",
    "class.diag.forward_y": "the forward value Y = T @ B, not a gradient",
    "class.diag.other_gradient": "the same entry of the other gradient (dL/dT and dL/dB swapped)",
    "class.diag.sign": "the right value with the wrong sign",
    "class.diag.whole_sum": "the sum of the whole gradient, not one entry",
    "class.diag.none": "no known mistake",
    "quiz.class_joined": (
        "You are in class **{code}**: each Check goes to your teacher, anonymously "
        "(with your nickname, if you give one)."
    ),
    "quiz.class_problem": "Your teacher chose this problem.",
    "quiz.nickname": "Nickname (optional)",
    "quiz.nickname_help": "At most 24 characters. Leave it empty to stay anonymous.",
    "quiz.saved": "Saved: your teacher sees this answer.",
    "quiz.pending": (
        "Not saved yet: the class database cannot be reached. {count} answer(s) "
        "wait here and are sent as soon as it is back; keep this tab open."
    ),
    "quiz.class_ended": "This class has ended: answers are no longer collected.",
    "quiz.class_unknown": (
        "There is no class {code} (it may have been deleted): the quiz works, but answers are not sent."
    ),
    "quiz.class_unavailable": (
        "The class database cannot be reached right now: your answers wait here and are sent when it is back."
    ),
    "quiz.rate_limited": (
        "Not saved yet: many answers arrived from this tab at once. {count} answer(s) "
        "wait here and are sent on your next step; keep this tab open."
    ),
}
"""Every sentence the pages show, in English, by key (the Chinese is `ui.text.zh.ZH_PAGES`)."""
