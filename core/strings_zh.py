"""Gradflow's Chinese (Simplified): core's own sentences (`core.strings.EN`), and the GLOSSARY of every zh text.

Why: the product is used in classrooms where Chinese is the teaching language, and a learner who is
puzzled by `tape.gradient` should not also have to decode English.

How: `ZH` has exactly the keys of `EN` (core's sentences; the pages' are `ui.text.zh.ZH_PAGES`,
which follows the same rules), and every template keeps the English one's {placeholders},
markdown, code, formulas and numbers untouched; only the prose is translated. The prose is written
the way a Chinese ML teacher would write it, not word for word. Every technical word is taken from
`GLOSSARY` (English term → the one Chinese term used for it everywhere), so the same idea is always
called the same thing; a new sentence should look its words up there first. Conventions: full-width
punctuation (，。：；（）“”) in Chinese sentences, ASCII inside code and formulas, a space between
Chinese and Latin letters, digits or code; in a figure title or input label, a shape in parentheses
right after a formula or name keeps ASCII parentheses, as in `种子 G ({m}×{n})`.

`GLOSSARY` is here, in core, because core's sentences and the pages' both use it and core cannot
import `ui`. This module imports nothing from `core` (`core.strings` imports `ZH` from here).
"""

from __future__ import annotations

GLOSSARY: dict[str, str] = {
    # the mathematics
    "gradient": "梯度",
    "Jacobian": "雅可比矩阵",
    "backpropagation": "反向传播",
    "upstream gradient": "上游梯度",
    "seed": "种子",  # introduced as “种子（即上游梯度 G = dL/dY）”
    "all-ones seed": "全一种子",
    "seeded (call, gradient)": "带种子的（调用、梯度）",
    "entry": "元素",
    "cell (of a drawn matrix, clickable)": "单元格",
    "row": "行",
    "column": "列",
    "row sum": "行和",
    "matrix product": "矩阵乘法",
    "matrix": "矩阵",
    "scalar": "标量",
    "non-scalar": "非标量",
    "tensor": "张量",
    "shape": "形状",
    "index / indices": "下标",
    "weights": "权重",
    "weighted sum": "加权和",
    "contribution": "贡献项",
    "sum": "和 / 求和",
    "partial sum": "部分和",
    "loss": "损失",
    "loss function": "损失函数",
    "mean squared error": "均方误差",
    "target (of a loss)": "目标值",
    "one-hot": "独热",
    "vector-Jacobian product": "向量-雅可比积",
    "Jacobian-vector product": "雅可比-向量积",
    "forward mode": "前向模式",
    "reverse mode": "反向模式",
    "block matrix": "分块矩阵",
    "block diagonal": "分块对角",
    "row-major": "行优先",
    "identity matrix": "单位矩阵",
    "finite differences": "有限差分",
    "formula": "公式",
    # numbers on a computer
    "precision": "精度",
    "floating-point": "浮点",
    "significant digits": "有效数字",
    "tolerance": "容差",
    "largest difference": "最大差异",
    "integer": "整数",
    "finite": "有限的",
    "infinite": "无穷大",
    "random seed": "随机种子",  # a different thing from the gradient seed
    # TensorFlow and friends (code stays code: tape.gradient, output_gradients, dtype …)
    "tape (GradientTape)": "梯度带",  # as in TensorFlow's own Chinese guides; code keeps `tape`
    "persistent tape": "持久梯度带",
    "watch": "监视",
    "framework": "框架",
    "operation": "运算",
    "slice": "切片",
    "batch": "批次",
    # the product
    "preset / example": "示例",
    "playground": "演练场",
    "quiz": "小测验",
    "problem (in the quiz)": "题",
    "pitfall": "陷阱",
    "check (verb, in the quiz)": "检验",
    "score": "得分",
    "hint": "提示",
    "prediction": "预测",
    "framed cells": "加框的单元格",
    "bug": "bug",
}
"""The product's vocabulary, English → Chinese; every sentence of `ZH` and `ZH_PAGES` uses these words."""

ZH: dict[str, str] = {
    # --- input errors (core.InputError) ---------------------------------------------------
    "err.empty_matrix": "{name} 是空的：它至少需要一行一列。",
    "err.not_2d": "{name} 必须是一个矩阵（有行也有列），但它有 {ndim} 个维度。",
    "err.too_large": "{name} 的大小是 {rows}×{cols}，超出了本应用的限制：行数和列数都不能超过 {limit}。",
    "err.empty_cell": "{name}[{i},{j}] 是空的：请在这里填一个数。",
    "err.not_a_number": "{name}[{i},{j}] 填的是“{value}”，这不是一个数。",
    "err.nan_cell": "{name}[{i},{j}] 是 NaN（非数）：请在这里填一个实数。",
    "err.inf_cell": "{name}[{i},{j}] 是无穷大：请在这里填一个有限的数。",
    "err.ragged": "{name}：第 {row} 行有 {got} 个数，而第 0 行有 {expected} 个；每一行的个数必须相同。",
    "err.inner_mismatch": ("T 是 {m}×{k}，B 是 {k2}×{n}：要计算 Y = T @ B，T 的列数（{k}）必须等于 B 的行数（{k2}）。"),
    "err.seed_shape": "种子 G 是 {rows}×{cols}，而 Y = T @ B 是 {m}×{n}：种子的形状必须与 Y 相同。",
    "err.text_too_long": "{name} 长达 {length} 个字符，上限是 {limit} 个。",
    "err.seed_unknown": (
        "无法识别种子“{text}”。请使用以下写法之一：ones、entry:i,j、entries:i,j;i,j、"
        "row:i、col:j、weights:a,b;c,d（下标从 0 开始）。"
    ),
    "err.index_malformed": "种子“{text}”中，“{index}”不是下标；下标是从 0 开始计数的整数。",
    "err.entry_malformed": "种子“{text}”：一个元素要写成两个下标“i,j”（先行后列），从 0 开始计数。",
    "err.entry_out_of_range": (
        "种子选中了 Y[{i},{j}]，但 Y 是 {m}×{n}：行号范围是 0 到 {m_last}，列号范围是 0 到 {n_last}。"
    ),
    "err.row_out_of_range": "种子选中了 Y 的第 {i} 行，但 Y 只有 {m} 行（0 到 {m_last}）。",
    "err.col_out_of_range": "种子选中了 Y 的第 {j} 列，但 Y 只有 {n} 列（0 到 {n_last}）。",
    "err.no_entries": "种子“{text}”没有选中 Y 的任何元素：请至少选一个。",
    "err.too_many_entries": "种子列出了 {count} 个元素，但 Y 总共只有 {cells} 个元素；每个元素只需列一次。",
    "err.seed_text_too_many": "种子列出了 {count} 个元素；种子最多只能列出 {limit} 个，Y 的每个元素至多一次。",
    "err.dtype": "dtype 必须是 float32 或 float64，不能是“{dtype}”。",
    "err.preset_unknown": "没有名为“{name}”的示例。可用的示例有：{names}。",
    "err.target_shape": "目标值是 {rows}×{cols}，而 Y 是 {m}×{n}：它的形状必须与 Y 相同。",
    "err.focus_malformed": "“{text}”不是梯度的元素：dL/dT[i,j] 写作 dT:i,j，dL/dB[j,p] 写作 dB:j,p。",
    "err.focus_out_of_range": ("“{text}”超出了梯度的范围：dL/dT 是 {m}×{k}，dL/dB 是 {k}×{n}（下标从 0 开始）。"),
    "err.overflow": (
        "这些数对 {dtype} 来说太大了：T、B 与种子的乘积之和可能达到 {bound}，超过了 {dtype} "
        "能表示的最大值 {largest}。请改用小一些的数（或者改用 float64，它的表示范围要大得多）。"
    ),
    "err.loss_unknown": "没有名为“{name}”的损失函数。可用的损失函数有：{names}。",
    "err.cell_malformed": "“{text}”不是 Y 的元素：请写成从 0 开始计数的两个下标 i,j，例如 0,1。",
    "err.cell_out_of_range": (
        "Y[{i},{j}] 超出了 Y 的范围：Y 是 {m}×{n}，行号范围是 0 到 {m_last}，列号范围是 0 到 {n_last}。"
    ),
    "err.choice": "“{text}”不在可选范围内。可选的有：{choices}。",
    # --- explanations (core.explain) -----------------------------------------------------
    "explain.all_ones": (
        "使用全一种子时，dL/dT 的每一行都相同，都等于 B 的行和 [{sums}]。"
        "因为 dL/dT[i,j] = Σ_p G[i,p]·B[j,p]，当所有 G[i,p] 都是 1 时，它就等于 Σ_p B[j,p]，"
        "而这个和与 i 无关。对于非标量的 Y，tape.gradient(Y, T) 返回的正是这个结果。"
    ),
    # --- what the seed makes true (core.lesson) ------------------------------------------
    "lesson.zero": "种子全为零：L 不依赖于 Y，所以所有梯度都是 0。",
    "lesson.ones": "dL/dT 的每一行都是 B 的行和：{values}。",
    "lesson.row": "dL/dT 的第 {i} 行是 B 的行和：{values}。其他各行都是 0。",
    "lesson.entry": "dL/dT 的第 {i} 行是 B 的第 {j} 列：{values}。其他各行都是 0。",
    "lesson.col": "dL/dT 的每一行都是 B 的第 {j} 列：{values}。",
    "lesson.mixed": "dL/dT 的第 i 行是 B 各列的加权和，权重是种子的第 i 行：dL/dT = G @ Bᵀ。",
    "lesson.same_T": "dL/dT 没有变化：dL/dT = G @ Bᵀ 中没有 T。",
    "lesson.same_B": "dL/dB 没有变化：dL/dB = Tᵀ @ G 中没有 B。",
    # --- what each preset is good for (core.presets) --------------------------------------
    "preset.so-question": "原问题中的 5×3 @ 3×3 例子：tape.gradient(Y, T) 的每一行都是 B 的行和。",
    "preset.identity": "B 是单位矩阵，所以 Y = T，并且 B 的每个行和都是 1。",
    "preset.small-integers": "小整数，心算就能加出来。",
    "preset.random": "由固定的随机种子生成的随机数，每次都一样。",
    # --- the quiz's answers and problem numbers (core.quiz) --------------------------------
    "quiz.err.q_malformed": "“{text}”不是题号：请填 {low} 到 {high} 之间的整数。",
    "quiz.err.q_range": "“{text}”不是有效的题号：题号范围是 {low} 到 {high}。",
    "quiz.err.empty": "你的 {entry} 是空的：请在这里填一个数。",
    "quiz.err.not_a_number": "你的 {entry} 填的是“{value}”，这不是一个数。请按 3、−2、2.5 或 7/2 这样的格式填写。",
    "quiz.err.not_finite": "你的 {entry} 填的是“{value}”，这个数太大了：请填一个有限的数。",
    "quiz.err.shape": "你的 {name} 需要 {rows}×{cols} 个元素，每个单元格一个。",
    # --- the two-layer chain (core.chain) ---------------------------------------------------
    "err.act_unknown": "没有名为“{name}”的激活函数。可用的激活函数有：{names}。",
    "err.chain_inner": (
        "{right} 有 {rows} 行，但 {left} 有 {cols} 列：在 {left} @ {right} 中，{right} 的每一行乘以 "
        "{left} 的一列，所以这两个数必须相等。"
    ),
    "err.bias_rows": "{name} 应该是一行数（每列一个），但它有 {rows} 行。",
    "err.bias_length": "{name} 有 {length} 个元素，但 {weights} 有 {cols} 列：{name} 给每一列加一个数。",
    "err.chain_seed_shape": "种子 G 是 {rows}×{cols}，但 Y = H @ W2 是 {m}×{n}：种子必须与 Y 的形状相同。",
    "err.chain_overflow": (
        "这些数对 {dtype} 来说太大了：网络中的某个值或梯度可能达到 {bound}，超过了 {dtype} 的最大值 {largest}。"
        "请使用更小的数（或者使用 float64，它的范围要大得多）。"
    ),
    "chain.preset.two-layer": "一个带偏置的小型两层网络：3×2 的输入，3 个隐藏单元，2 个输出。",
    "chain.preset.dead-relu": (
        "隐藏单元 2 是一个死亡的 ReLU：每一行的 Z[:,2] 都小于 0，所以梯度无法穿过它，dL/dW1 的第 2 列全为 0。"
    ),
    "chain.preset.question": "X 是原问题中的 T（5×3），W1 是其中的 B：演练场里的矩阵乘法就是第一层。",
    "class.err.code": "“{text}”不是班级代码：班级代码由 6 个字母和数字组成，以老师展示的为准。",
    "class.err.key": "“{text}”不是教师密钥：请复制完整的教师链接。",
}
"""Every sentence of `core.strings.EN` in Chinese (Simplified), under the same key."""
