"""The pages' sentences in Chinese (Simplified): every sentence of `ui.text.en.EN_PAGES`, for zh readers.

Why: the product is used in classrooms where Chinese is the teaching language, and a learner who is
puzzled by `tape.gradient` should not also have to decode English.

How: `ZH_PAGES` has exactly the keys of `EN_PAGES`, and every template keeps the English one's
{placeholders}, markdown, code, formulas and numbers untouched; only the prose is translated. The
prose is written the way a Chinese ML teacher would write it, not word for word. Every technical
word is taken from `core.strings_zh.GLOSSARY` (it lives in core because core's own Chinese sentences
use it too, and core cannot import ui); a new sentence should look its words up there first. The
conventions (full-width punctuation, spaces around Latin letters, ASCII parentheses after a formula
in a title or label) are described there as well.
"""

from __future__ import annotations

ZH_PAGES: dict[str, str] = {
    # --- a link's value not used (ui/language.py, ui/common.py) ----------------------------
    "err.url_param": "链接中“{param}”的值没有被采用：{message}",
    # --- seeds (the playground's picker, the quiz) ---------------------------------------
    "seed.ones": "全一（默认）",
    "seed.entry": "单个元素",
    "seed.entries": "一组元素",
    "seed.row": "一整行",
    "seed.col": "一整列",
    "seed.weights": "自定义权重",
    "seed.ones.help": (
        "G 处处为 1：L = sum(Y)。当 Y 不是标量时，tape.gradient(Y, T) 做的就是这件事。"
        "点击 Y 的某个单元格，就改为只对这一个元素求梯度。"
    ),
    "seed.entry.help": "G 在 Y 的一个单元格处为 1，其余为 0：L = Y[a,b]。点击 Y 的其他单元格可以改选这个元素。",
    "seed.entries.help": "G 在选中的 Y 的单元格上为 1：L 就是这些元素之和。点击 Y 的单元格可以添加或移除。",
    "seed.row.help": "G 在 Y 的某一行上为 1：L = sum(Y[a, :])。点击 Y 的某个单元格，即选中它所在的行。",
    "seed.col.help": "G 在 Y 的某一列上为 1：L = sum(Y[:, b])。点击 Y 的某个单元格，即选中它所在的列。",
    "seed.weights.help": (
        "G 可以是任意 m×n 的权重矩阵：L = sum(G ⊙ Y)。可以在表格中编辑 G，"
        "也可以点击 Y 的单元格，让它的权重在 0 和 1 之间切换。"
    ),
    # --- the playground page --------------------------------------------------------------
    "nav.playground": "演练场",
    "pg.title": "Gradflow：梯度如何反向流过 Y = T @ B",
    "pg.intro": (
        "当 `Y` 是矩阵时，`tape.gradient(Y, T)` 给出的是 **sum(Y)** 的梯度：TensorFlow 给 Y 的每个元素"
        "都赋上种子 1（种子即上游梯度 G = dL/dY）。编辑 T 和 B，选择给 Y 的哪些元素设置种子，"
        "再点击梯度中的某个元素，看看它是由哪些数加起来的。"
    ),
    "pg.preset": "示例",
    "pg.preset_help": "载入一对现成的矩阵。so-question 就是原始提问中的那个例子。",
    "pg.preset_custom": "— 自定义矩阵 —",
    "lang.label": "Language · 语言",
    "pg.shapes": "**形状**：T 是 m×k，B 是 k×n",
    "pg.dtype": "精度",
    "pg.T_label": "**T** ({m}×{k})",
    "pg.B_label": "**B** ({k}×{n})",
    "pg.seed_mode": "种子 G = dL/dY",
    "pg.seed_entry": "Y 的元素",
    "pg.seed_entries": "Y 的若干元素",
    "pg.seed_row": "Y 的行",
    "pg.seed_col": "Y 的列",
    "pg.Y_title": "Y = T @ B ({m}×{n})",
    "pg.G_title": "种子 G = dL/dY ({m}×{n})",
    "pg.grad_title": "dL/d{wrt} ({rows}×{cols})",
    "pg.contrib_heading": "哪些元素有贡献",
    "pg.focus": "梯度元素",
    "pg.focus_none": "— 无 —",
    "pg.contrib_hint": "点击上方 dL/dT 或 dL/dB 的某个单元格，或者在这里选一个，就能看到它的求和式。",
    "pg.sum_symbols": "**{entry}** = {symbols}",
    "pg.sum_numbers": "= {numbers} = **{value}**",
    "pg.sum_tf": "TensorFlow（{dtype}）算出 {entry} = {value}。",
    "pg.check_heading": "三种方法，同一个答案",
    "pg.check_ok": "TensorFlow、公式 dL/dT = G @ Bᵀ 与 dL/dB = Tᵀ @ G、有限差分，三者结果一致。",
    "pg.check_bad": "三种方法的差异超出了浮点误差允许的范围。这是一个 bug，请报告给我们。",
    "pg.check_no_tf": "没有 TensorFlow 时，用有限差分检验公式：最大差异为 {fd}（容差 {fd_tol}）。",
    "pg.check_numbers": (
        "与公式的最大差异：TensorFlow（{dtype}）为 {tf}（容差 {tf_tol}），有限差分为 {fd}（容差 {fd_tol}）。"
    ),
    "pg.code_heading": "对应的 TensorFlow 代码",
    "pg.precision_heading": "float32 还是 float64：为什么是 −0.17307831，而不是 −0.17307832？",
    "pg.precision_text": (
        "除非另行指定，TensorFlow 会把 Python 浮点数（以及由它们组成的列表）转成 float32"
        "（float64 的 NumPy 数组则保持 float64）。float32 大约只有 7 位有效数字："
        "B 的每个元素都会被舍入到最接近的 float32，每一步的部分和也是如此，"
        "所以打印出来的最后一位可能与精确计算的结果不同。在侧边栏选择 float64，就能看到两者一致。"
        "加法的顺序同样有影响：在某些处理器上（例如支持 AVX-512 的），TensorFlow 的 oneDNN 内核"
        "按另一种顺序相加，会打印 −0.1730783，所以 Gradflow 关闭了它们（`TF_ENABLE_ONEDNN_OPTS=0`），"
        "每台服务器都打印相同的数字。"
        "在 Ampere 及更新一代的 NVIDIA GPU 上，TensorFlow（以及 JAX）默认以 TensorFloat-32 计算 float32 的"
        "矩阵乘法，尾数只有 10 位而不是 23 位，打印的数字大约从第四位有效数字起就会不同；"
        "`tf.config.experimental.enable_tensor_float_32_execution(False)` 可以关闭它。"
        "dL/dT 的第 0 行："
    ),
    "pg.precision_unavailable": "这些数超出了 float32 的表示范围，因此 TensorFlow 的默认精度无法显示它们。",
    "pg.col_entry": "元素",
    "pg.col_float32": "TensorFlow float32 的打印结果",
    "pg.col_float32_exact": "该 float32 值（17 位数字）",
    "pg.col_float64": "float64（17 位数字）",
    "pg.col_difference": "差值",
    "pg.numbers_heading": "所有矩阵的具体数值",
    "pg.numbers_help": (
        "每一位数字都按 NumPy 和 TensorFlow 的打印方式显示：Y 和梯度为 {dtype}，输入矩阵保持输入时的原样。"
    ),
    "pg.download": "全部下载为 CSV",
    "pg.share": "**分享当前视图**：地址栏始终保存着当前的完整状态；复制这个链接即可：",
    # --- shared by pages ------------------------------------------------------------------
    "common.own_matrices": "自定义矩阵",
    "common.summary": "当前显示 **{name}**：T 是 {m}×{k}，B 是 {k}×{n}，种子 `{seed}`，{dtype}。",
    "common.summary_no_seed": "当前显示 **{name}**：T 是 {m}×{k}，B 是 {k}×{n}，{dtype}。",
    "common.edit_link": "在演练场中编辑矩阵和种子",
    "common.no_tf": (
        "这台服务器无法加载 TensorFlow（{reason}）。演练场和小测验改为显示公式算出的结果"
        "（dL/dT = G @ Bᵀ，dL/dB = Tᵀ @ G，并用有限差分检验）；需要运行 TensorFlow 本身的页面暂时无法使用，"
        "请服务器管理员修复安装。"
    ),
    "common.no_tf_page": "这个页面需要运行 TensorFlow，而这台服务器无法加载它。演练场仍然会用公式算出所有梯度。",
    # --- the notebook to take home (ui/download.py; every page that shows a program) -------
    "nb.download": "下载为笔记本",
    "nb.download_help": (
        "一个 Jupyter 笔记本（.ipynb），包含本页针对当前矩阵、种子和精度的程序："
        "运行全部单元格，就会打印出这里显示的数字。"
    ),
    "nb.intro": (
        "Gradflow 页面“{page}”针对这道问题的程序：{problem}\n\n"
        "在 Gradflow 中打开同一视图：{link}\n\n"
        "请在装有 TensorFlow 的 Python 中运行全部单元格：每个程序都会打印出页面上显示的数字。"
    ),
    "nb.problem": "**{name}**，T 是 {m}×{k}，B 是 {k}×{n}，种子 `{seed}`，{dtype}。",
    "nb.problem_no_seed": "**{name}**，T 是 {m}×{k}，B 是 {k}×{n}，{dtype}。",
    "nb.pg.program": "TensorFlow 以种子 `{seed}` 在 {dtype} 下计算 Y = T @ B 的梯度：先打印 dL/dT，再打印 dL/dB。",
    "nb.jac.program": (
        "完整的雅可比矩阵 dY/dT 和 dY/dB，以及 dY/dT 各行按种子加权的和，它等于 `tape.gradient`："
        "程序先打印三个形状，再打印 dL/dT。"
    ),
    "nb.loss.program": "TensorFlow 对损失 `{loss}` 求导：程序先打印它产生的种子 dL/dY，再打印 dL/dT 和 dL/dB。",
    "nb.quiz.question": "问题：先预测最后一行会打印什么，再运行这个单元格。",
    "nb.quiz.answer": "答案，写成一个完整的程序：先打印 dL/dT，再打印 dL/dB。",
    "nb.fw.raises": (
        "这个程序会报错，和页面上显示的一样；它的单元格带有 `raises-exception` 标签，"
        "所以“运行全部”会继续执行后面的单元格。"
    ),
    # --- the Jacobian page ----------------------------------------------------------------
    "nav.jacobian": "完整的雅可比矩阵",
    "jac.title": "完整的雅可比矩阵，以及 tape.gradient 如何把它压缩",
    "jac.intro": (
        "矩阵 Y 对矩阵 T 的导数是一个四维数组：每一对元素对应一个数 ∂Y[a,b]/∂T[i,j]。"
        "`tape.jacobian(Y, T)` 会把它完整算出来；`tape.gradient(Y, T)` 则从来不算它，"
        "只需要它各行按种子（即上游梯度 G = dL/dY）加权后的和。"
    ),
    "jac.wrt": "求导对象",
    "jac.shapes_heading": "形状",
    "jac.shapes": (
        "`tape.jacobian(Y, T).shape` = {JT}  ·  `tape.jacobian(Y, B).shape` = {JB}  ·  "
        "`tape.batch_jacobian(Y, T).shape` = {JBatch}"
    ),
    "jac.batch": (
        "`batch_jacobian` 把第一个轴当作批次维：对每一行 a，它只返回 ∂Y[a,:]/∂T[a,:]，也就是对角线上的块。"
        "对 Y = T @ B 来说这已经是全部信息，因为 Y 的第 a 行只依赖于 T 的第 a 行（其余的块都是零），"
        "而且每个这样的块都是 Bᵀ。它不适用于 B，因为 Y 的每一行都要用到 B。"
    ),
    "jac.block_heading": "把雅可比矩阵写成分块矩阵",
    "jac.block_T": (
        "行对应元素 Y[a,b]，列对应元素 T[i,j]，两者都按行优先顺序排列，与 TensorFlow 指南一致。"
        "由于 Y[a,b] = Σ_j T[a,j]·B[j,b] 只依赖于 T 的第 a 行，这个矩阵是分块对角的，"
        "而且每个块都是 Bᵀ：它就是 kron(I_m, Bᵀ)。TensorFlow 的雅可比矩阵与 kron(I_m, Bᵀ) 的最大差异：{diff}。"
    ),
    "jac.block_B": (
        "行对应元素 Y[a,b]，列对应元素 B[j,p]，两者都按行优先顺序排列。Y[a,b] 依赖于 B 的第 b 列，"
        "权重为 T[a,j]：这个矩阵就是 kron(T, I_n)。TensorFlow 的雅可比矩阵与 kron(T, I_n) 的最大差异：{diff}。"
    ),
    "jac.sliced": (
        "这个分块矩阵是 {rows}×{cols}，太大了，画出来看不清：这里只显示前 {shown_rows} 行、前 "
        "{shown_cols} 列（坐标轴标签标明了是哪些）。"
    ),
    "jac.bridge_heading": "从雅可比矩阵到 tape.gradient",
    "jac.bridge": (
        "把雅可比矩阵中对应 Y[a,b] 的那一行乘以种子 G[a,b]，再把所有行加起来：结果重新排成 {wrt} 的形状，"
        "就是 dL/d{wrt}。加框的行就是种子选中的行。"
    ),
    "jac.bridge_ones": (
        "种子全为 1，所以 dL/d{wrt} 就是雅可比矩阵所有行之和：对于非标量的 Y，"
        "`tape.gradient(Y, {wrt})` 返回的正是这个和。"
    ),
    "jac.bridge_one": (
        "种子只选中一个元素，所以 dL/d{wrt} 就是雅可比矩阵的某一行：{entry} 的梯度，"
        "就是 {entry} 对应的那一行重新排成 {wrt} 的形状。"
    ),
    "jac.bridge_some": "种子给雅可比矩阵 {rows} 行中的 {count} 行加了权；其余各行的权重为零，不计入。",
    "jac.weights_title": "权重 G",
    "jac.sum_title": "雅可比矩阵各行的加权和，重排：dL/d{wrt} ({rows}×{cols})",
    "jac.grad_title": "tape.gradient：dL/d{wrt} ({rows}×{cols})",
    "jac.check": "各行的加权和等于 `tape.gradient` 的结果：最大差异 {diff}。",
    "jac.check_bad": "各行的加权和与 `tape.gradient` 的结果相差 {diff}：这是一个 bug。",
    "jac.code_heading": "对应的 TensorFlow 代码",
    # --- the losses page ------------------------------------------------------------------
    "nav.losses": "种子从哪里来",
    "loss.title": "种子（上游梯度 dL/dY）从哪里来：作用在 Y 上的损失",
    "loss.intro": (
        "在训练中，Y 从来不是终点，标量损失 L(Y) 才是。TensorFlow 对 L 求导，而 dL/dY "
        "恰好就是流回 T 和 B 的种子（上游梯度）。选择一个损失函数，看看它产生什么样的种子，"
        "再验证 `tape.gradient(L, T)` 等于 `tape.gradient(Y, T, output_gradients=seed)`。"
    ),
    "loss.pick": "损失 L(Y)",
    "loss.sum": "求和 reduce_sum(Y)",
    "loss.mean": "求平均 reduce_mean(Y)",
    "loss.sq-error": "相对目标值的均方误差",
    "loss.entry": "单个元素 Y[a,b]",
    "loss.seed.sum": "dL/dY 的每个元素都是 1：与 TensorFlow 在 tape.gradient(Y, T) 中对矩阵 Y 使用的种子相同。",
    "loss.seed.mean": "dL/dY 的每个元素都是 1/(m·n) = 1/{mn} = {value}。",
    "loss.seed.sq-error": "dL/dY = 2(Y − target)/N，其中 target 是目标值，N = m·n = {mn}。",
    "loss.seed.entry": "dL/dY 在 Y[{i},{j}] 处为 1，其余为 0（独热）。",
    "loss.target": "目标值（{m}×{n}）",
    "loss.entry_pick": "Y 的元素",
    "loss.value": "损失 L ({dtype})",
    "loss.seed_heading": "这个损失产生的种子",
    "loss.seed_tf_title": "TensorFlow 的 dL/dY ({m}×{n})",
    "loss.seed_formula_title": "按公式得到的种子 ({m}×{n})",
    "loss.grad_heading": "梯度：直接对损失求导，与用种子求出的对比",
    "loss.from_loss_title": "由 L 求得：dL/d{wrt} ({rows}×{cols})",
    "loss.from_seed_title": "由种子求得：dL/d{wrt} ({rows}×{cols})",
    "loss.agree": "两者一致：最大差异 {diff}（{dtype}）。",
    "loss.disagree": "两者相差 {diff}：这是一个 bug。",
    "loss.mean_rows": (
        "dL/dT 的每一行都是 B 的行和除以 m·n = {mn}：[{values}]。取平均相当于把全一种子均匀地摊开，"
        "所以原问题的答案只是整体按比例缩小了。"
    ),
    "loss.code_heading": "对应的 TensorFlow 代码",
    # --- the pitfalls page ----------------------------------------------------------------
    "nav.pitfalls": "常见陷阱",
    "pf.title": "GradientTape 的常见陷阱，现场运行",
    "pf.intro": (
        "下面的每个错误都由 TensorFlow 在当前矩阵上实时执行：显示的准备代码加上代码片段，正是实际运行的完整程序，"
        "结果就是它实际打印的内容，或者 TensorFlow 自己的报错信息。随后给出修正写法，同样实际运行。"
        "把准备代码和任一片段粘贴到装有 TensorFlow 的全新 Python 中，会得到同样的输出。"
        "下面摘要里的种子（上游梯度 dL/dY）就是 `tape.gradient` 给 Y 的各元素的权重；"
        "不传 `output_gradients` 时它全为 1。"
    ),
    "pf.setup": "每段代码都从这几行开始（其中是当前的 T 和 B，一字不差）：",
    "pf.mistake": "错误写法",
    "pf.repair": "修正写法",
    "pf.outcome_value": "它打印出：",
    "pf.outcome_none": "`result` 是 **None**：完全没有梯度，也没有报错。它打印出：",
    "pf.outcome_error": "它抛出了错误：",
    "pf.core_message": "把同样的种子交给 Gradflow 的核心模块检查，得到的是学生可以直接照着改的提示：",
    "pf.twice.title": "在非持久的梯度带上两次调用 gradient",
    "pf.twice.why": (
        "为了节省内存，梯度带在第一次调用 `gradient` 之后就会释放它记录的内容，所以在同一个梯度带上第二次调用会报错。"
        "（原问题中的代码每个梯度带只调用一次 `gradient`，所以不会遇到这个问题；"
        "但如果再向同一个梯度带要第二个梯度，比如 Y[0, 0] 的梯度，就会遇到。）"
        "请使用 `persistent=True`（用完后 `del tape`），或者每求一个梯度就用一个新的梯度带。"
    ),
    "pf.slice_outside.title": "在梯度带之外对 Y[0, 0] 切片",
    "pf.slice_outside.why": (
        "`Y[0, 0]` 是一个新的运算。如果它写在 `with` 块之后，梯度带根本没有记录到它，"
        "也就无法把它和 T 联系起来：梯度为 None。请在块内切片。"
    ),
    "pf.unwatched.title": "未被监视的 tf.constant",
    "pf.unwatched.why": (
        "梯度带只记录对被监视对象的运算：可训练的 `tf.Variable` 会被自动监视，普通张量则要先调用 "
        "`tape.watch`。一个既没有被监视、也不是在梯度带内由被监视张量算出来的张量，梯度是 None。"
        "（在梯度带内由被监视张量算出的结果，比如这里的 Y，是有梯度的：损失函数页面就求了 `tape.gradient(L, Y)`。）"
    ),
    "pf.variable_replaced.title": "tf.Variable 被一个张量替换",
    "pf.variable_replaced.why": (
        "`T_var = T_var - 0.5` 并没有改变这个 Variable：它算出一个新的张量，再把名字 T_var 指向它。"
        "梯度带会自动监视 Variable，却不会监视这个张量，所以梯度是 None。"
        "要原地修改 Variable，请用 `assign`、`assign_add` 或 `assign_sub`。"
    ),
    "pf.numpy_inside.title": "在梯度带内离开了 TensorFlow",
    "pf.numpy_inside.why": (
        "梯度带只记录 TensorFlow 的运算。`.numpy()` 和 NumPy 的 `@` 在它之外完成了乘法，"
        "`tf.constant` 再把结果变成一个没有来历的新张量：梯度是 None，而且没有任何报错。"
        "从被监视的输入到目标之间的每一步，都要用 TensorFlow 的运算。"
    ),
    "pf.non_differentiable.title": "中间有一步没有梯度",
    "pf.non_differentiable.why": (
        "有些运算没有梯度：`tf.round`、`tf.argmax`、先转成整数再转回来。TensorFlow 会记录它们，"
        "但梯度无法反向穿过它们，所以梯度悄无声息地成了 None。如果确实需要取整，"
        "可以用“直通”（straight-through）技巧：前向时取整，反向时让梯度原样通过："
        "`T + tf.stop_gradient(tf.round(T) - T)`。"
    ),
    "pf.assign_inside.title": "在梯度带内做有状态的 assign",
    "pf.assign_inside.why": (
        "`S.assign(2 * T_var)` 把值写进另一个 Variable：梯度带不会对赋值求导，"
        "所以由 S 算出的 Y 与 T_var 没有联系，梯度是 None。在梯度带内请用张量计算（`S = 2 * T_var`），"
        "赋值放到梯度带外面。修正写法的梯度是 B 的行和的两倍，因为 S = 2T。"
    ),
    "pf.integer.title": "整数类型的 dtype",
    "pf.integer.why": (
        "梯度只对浮点张量有定义。对整数张量调用 `tape.watch` 会输出一条警告（每个进程只输出前几次），"
        "但仍然会监视它；只是梯度无法反向穿过整数的 MatMul，所以结果是 None。请先转换成浮点类型。"
    ),
    "pf.seed_shape.title": "形状不对的 output_gradients",
    "pf.seed_shape.why": (
        "种子就是 dL/dY，所以它的形状必须与 Y 相同。TensorFlow 并不检查这一点："
        "它把种子与 Bᵀ 相乘，然后在底层的 MatMul 中报出尺寸不匹配的错误。"
        "（如果种子只是行数不对，甚至都不会报错：它会悄无声息地返回一个形状错误的梯度。）"
    ),
    "pf.seed_dtype.title": "dtype 不对的 output_gradients",
    "pf.seed_dtype.why": (
        "种子的 dtype 也必须与 Y 相同：给 float32 的 Y 传入 float64 的种子，或者给 float64 的 Y 传入 float32 的种子，"
        "都会在 MatMul 内部出错。这里 Y 是 {dtype}，种子是 {other}。请用 `tf.cast(G, Y.dtype)` 转换种子的类型。"
    ),
    "pf.unconnected.title": "unconnected_gradients=tf.UnconnectedGradients.ZERO",
    "pf.unconnected.why": (
        "ZERO 会把 None 变成全零。在训练循环里这很方便，但在这里它掩盖了真正的错误："
        "T 从未被监视，而它真正的梯度并不是零。"
    ),
    # --- the quiz page --------------------------------------------------------------------
    "nav.quiz": "小测验",
    "quiz.title": "小测验：先预测梯度，再检验",
    "quiz.intro": (
        "一道只含整数的小题：给定 T、B 和种子 G（即上游梯度 dL/dY）。算出 `tape.gradient` 会返回什么，"
        "输入你的预测，然后检验。每个答错的元素都会展开成各贡献项之和，让你看出漏掉了哪一项。"
    ),
    "quiz.problem": "第 **{q}** 题：T 是 {m}×{k}，B 是 {k}×{n}，所以 Y = T @ B 是 {m}×{n}。",
    "quiz.score": "本次得分：**{total} 题中答对 {right} 题**。",
    "quiz.score_none": "本次得分：还没有检验过任何题目。",
    "quiz.score_help": "每道题只在第一次检验时计分。",
    "quiz.new": "换一道题",
    "quiz.new_help": "随机抽一道题；地址栏中的链接也会随之改变。",
    "quiz.seed.ones": (
        "种子 G 处处为 1，所以 L = {loss}：不传 output_gradients 时，`tape.gradient(Y, [T, B])` 就是这样做的。"
    ),
    "quiz.seed.entry": "种子 G 在 Y 的一个元素处为 1，其余为 0，所以 L = {loss}。",
    "quiz.seed.entries": "种子 G 在 Y 的 {count} 个元素处为 1，其余为 0，所以 L = {loss}。",
    "quiz.seed.row": "种子 G 在 Y 的第 {index} 行上为 1，其余为 0，所以 L = {loss}。",
    "quiz.seed.col": "种子 G 在 Y 的第 {index} 列上为 1，其余为 0，所以 L = {loss}。",
    "quiz.seed.weights": "种子 G 取图中所示的权重，所以 L = {loss}。",
    "quiz.G_title": "种子 G ({m}×{n})",
    "quiz.ask_one": "**预测 {entry}**：填一个数。",
    "quiz.ask_all": "**预测整个 {name}** ({rows}×{cols})：每个单元格填一个数。",
    "quiz.hint_heading": "提示：公式",
    "quiz.hint": (
        "dL/dT[i,j] = Σ_p G[i,p]·B[j,p]，dL/dB[j,p] = Σ_i T[i,j]·G[i,p]：每个元素都是若干贡献项之和，"
        "种子在相应行（对 dL/dT）或相应列（对 dL/dB）中的每个元素各贡献一项。"
    ),
    "quiz.your_one": "你的 {entry}",
    "quiz.your_all": "你的 {name} ({rows}×{cols})",
    "quiz.input_help": "可以填整数、小数或分数：3、−2、2.5、7/2。",
    "quiz.check": "检验",
    "quiz.correct_one": "正确：{entry} = {value}。",
    "quiz.wrong_one": "还差一点：你填的是 {yours}，但 {entry} = {value}。",
    "quiz.correct_all": "正确：{name} 的全部 {total} 个元素都对了。",
    "quiz.wrong_all": "还差一点：{name} 的 {total} 个元素中对了 {right} 个。",
    "quiz.rechecked": "本题已在第一次检验时计分；再次检验不会改变得分。",
    "quiz.col_entry": "元素",
    "quiz.col_yours": "你的答案",
    "quiz.col_answer": "TensorFlow",
    "quiz.col_verdict": "判定",
    "quiz.mark_right": "✓ 正确",
    "quiz.mark_wrong": "✗ 错误",
    "quiz.answer_help_one": "TensorFlow 算出的 {name}：加框的单元格就是你预测的元素。",
    "quiz.answer_help_all": "TensorFlow 算出的 {name}：加框的单元格是你答错的元素。",
    "quiz.answer_help_right": "TensorFlow 算出的 {name}：每个元素都与你的预测一致。",
    "quiz.contrib_heading": "答错的元素是怎么来的",
    "quiz.contrib_intro": (
        "每个梯度元素都是若干贡献项之和：G 在相应行（对 dL/dT）或相应列（对 dL/dB）中的每个元素各贡献一项。"
        "下面把每个答错的元素逐项展开："
    ),
    "quiz.sum_symbols": "**{entry}** = {symbols}",
    "quiz.sum_numbers": "= {numbers} = **{value}**（你填的是 {yours}）",
    "quiz.disagree": "在这道题上，TensorFlow 与公式相差 {diff}：这是一个 bug，请报告给我们。",
    "quiz.code_heading": "对应的 TensorFlow 代码",
    "quiz.share": "**分享这道题**：通过这个链接，全班看到的都是同一道题。",
    # --- the frameworks page --------------------------------------------------------------
    "nav.frameworks": "TensorFlow、PyTorch、JAX",
    "fw.title": "用 TensorFlow、PyTorch、JAX 求同一个梯度",
    "fw.intro": (
        "在当前矩阵上计算 Y = T @ B 及其梯度，分别用三个框架来写。它们算出的数值一致"
        "（在 CPU 上如此；并非在每种 GPU 上都如此，见下文），"
        "但对“矩阵 Y 的梯度”是什么意思却各有主张：TensorFlow 默默地对 Y 求和，"
        "PyTorch 和 JAX 则直接拒绝，要求你给出种子（上游梯度 dL/dY）。下面每个程序都是完整的：复制下来就能运行。"
    ),
    "fw.numbers_source": (
        "本应用没有安装 PyTorch 和 JAX：下面所有的输出都是在这里由 TensorFlow 以 {dtype} 计算的。"
        "PyTorch 和 JAX 做的是同样的 {dtype} 运算，所以在 CPU 上打印出的数相同（至多最后一位不同，"
        "因为各自的求和顺序可能不一样）。测试套件会用 torch {torch} 和 jax {jax} 运行每个程序，"
        "并把它们的输出和报错信息与本页逐一核对。在 Ampere 及更新一代的 NVIDIA GPU 上，"
        "TensorFlow 和 JAX 默认以 TensorFloat-32 计算 float32 的矩阵乘法，PyTorch 则不会"
        "（`torch.backends.cuda.matmul.allow_tf32` 为 False），"
        "所以它们的 float32 结果大约从第四位有效数字起就会不同。"
    ),
    "fw.seed_default": (
        "种子是全一种子，也就是当前问题的种子：带种子的调用把 TensorFlow 默认假定的东西显式地传了进去。"
        "在演练场中换一个种子，它们的结果就会与默认情况不同。"
    ),
    "fw.jax_x64": "除非打开 `jax_enable_x64`，JAX 都以 float32 计算，所以 float64 的程序会先把它打开。",
    "fw.step.default": "1. 默认情况：对矩阵 Y 求梯度，不给种子",
    "fw.step.seeded": "2. 带种子的调用：显式给出种子 G = dL/dY",
    "fw.step.jacobian": "3. 雅可比矩阵调用：求出完整的 dY/dT 和 dY/dB",
    "fw.tensorflow.name": "TensorFlow",
    "fw.pytorch.name": "PyTorch",
    "fw.jax.name": "JAX",
    "fw.tensorflow.default": (
        "既不报错也不警告：对于非标量的目标，`tape.gradient` 会默默地对 **sum(Y)** 求导，"
        "也就是使用全一种子。dL/dT 的每一行都是 B 的行和。"
    ),
    "fw.pytorch.default": ("`Y.backward()` 不接受含有多个元素的 Y：它要求 Y 是标量，或者通过 `gradient=` 传入种子。"),
    "fw.pytorch.default_scalar": (
        "Y 只有一个元素，PyTorch 把它当作标量接受：`Y.backward()` 可以运行，得到的就是这个元素的梯度。"
        "如果元素不止一个，它会报错“{message}”。"
    ),
    "fw.jax.default": (
        "`jax.grad` 只接受输出为标量（形状为 ()）的函数，哪怕输出是 1×1 矩阵也不行：种子要改用 `jax.vjp` 传入。"
    ),
    "fw.tensorflow.seeded": (
        "`output_gradients=G` 传入种子：结果是 L = sum(G ⊙ Y) 的梯度，即 dL/dT = G @ Bᵀ，dL/dB = Tᵀ @ G。"
    ),
    "fw.pytorch.seeded": (
        "`Y.backward(gradient=G)` 传入种子；梯度存放在 `T.grad` 和 `B.grad` 中。"
        "对同一个 Y 第二次调用 `backward` 会抛出 RuntimeError（计算图已被释放），除非第一次调用传了 "
        "`retain_graph=True`；这时与重新做一次前向计算之后一样，梯度会累加起来。"
    ),
    "fw.jax.seeded": "`jax.vjp` 返回 Y 和一个函数，这个函数把种子 G 变成梯度：`vjp(G)`。",
    "fw.tensorflow.jacobian": (
        "`tape.jacobian(Y, T)` 的形状是 (m, n, m, k)：Y 的每个元素各对应一个关于 T 的梯度"
        "（这里用持久梯度带，以便求两次）。"
    ),
    "fw.pytorch.jacobian": (
        "`torch.autograd.functional.jacobian` 对函数的每个输入分别求导：得到同样的两个雅可比矩阵。"
    ),
    "fw.jax.jacobian": "`jax.jacrev`（反向模式，Y 的每个元素做一次 vjp）给出同样的两个雅可比矩阵。",
    "fw.contraction": "用种子给雅可比矩阵的各行加权，再把它们加起来（即 einsum），又得到了带种子的梯度。",
    "fw.prints": "输出（{dtype}）：",
    "fw.zero_sign": (
        "±0.0：这个和的每一项都可能是 −0.0（或小到保不住符号），此时 {framework} 打印 `0.` 还是 `-0.`，"
        "取决于它为这些形状选用的计算内核，也取决于处理器。TensorFlow 标签页显示的是 TensorFlow 在这里打印的结果。"
    ),
    "fw.raises": "抛出错误：",
    "fw.trap_heading": "一个命名陷阱：PyTorch 所说的“雅可比-向量积”",
    "fw.trap": (
        "`torch.autograd.backward` 的文档（`Y.backward(gradient=G)` 调用的就是它）说，对于非标量输出，"
        "“the Jacobian-vector product would be computed”（会计算雅可比-向量积），而种子就是其中的“向量”。"
        "但它实际计算的是 **vᵀJ**，其中 v 是展平后的 G，J 是写成二维矩阵的雅可比矩阵（每行对应 Y 的一个元素）："
        "这是一个*向量-雅可比*积。v 的元素个数与 Y 相同（m×n），结果的元素个数与 T 相同（m×k），"
        "和上面所有带种子的输出一样。TensorFlow 的 `output_gradients` 和 JAX 的 `jax.vjp` 计算的也是这个 vᵀJ，"
        "而 `torch.autograd.grad` 的文档则把它称为“vector-Jacobian product”（向量-雅可比积）。"
        "真正的雅可比-向量积 J·v 接受的 v 的元素个数与 T 相同，返回结果的元素个数与 Y 相同："
        "那是前向模式（`jax.jvp`、`torch.func.jvp`、`tf.autodiff.ForwardAccumulator`）。"
    ),
    "fw.check": "TensorFlow 带种子的梯度与公式 G @ Bᵀ 和 Tᵀ @ G 一致：最大差异 {diff}（容差 {tol}）。",
    "fw.check_bad": (
        "TensorFlow 带种子的梯度与公式 G @ Bᵀ 和 Tᵀ @ G 相差 {diff}（容差 {tol}）：这是一个 bug，请报告给我们。"
    ),
    # --- the lesson at a glance (pages/playground.py) -------------------------------------
    "pg.lesson_B_title": "B（{k}×{n}）及其行和 Σ",
    "pg.legend": "单元格标记说明",
    "pg.legend_seeded": "Y 中被播种的元素",
    "pg.legend_contributing": "参与所选元素求和的单元格",
    "pg.legend_linked": "B 的一行，以及它变成的 dL/dT 的那一列",
    "pg.legend_picked": "所选元素（或正在相加的那一项）",
    "pg.legend_changed": "上一次编辑改变的单元格",
    "pg.link": "跟随 B 的一行到 dL/dT",
    "pg.link_none": "— 无 —",
    "pg.link_option": "B 的第 {p} 行 → dL/dT 的第 {p} 列",
    "pg.link_help": "点击 B 的一个单元格，或在这里选一行：它的单元格和它构成的 dL/dT 那一列会用点线框出。",
    "pg.forward_heading": "乘积与种子",
    "pg.colours": "蓝色为负，红色为正，白色为零。点击 dL/dT 或 dL/dB 的单元格，写出它的求和式。",
    "pg.step_start": "逐项相加",
    "pg.step_prev": "◀ 上一项",
    "pg.step_next": "下一项 ▶",
    "pg.step_all": "整个求和",
    "pg.step_term": "第 {p} 项（共 {count} 项）：{symbol} = {a}·{b} = **{product}**。累计：**{total}**。",
    "pg.step_done": "{count} 项都已相加：{entry} = **{total}**。",
    "pg.more_heading": "验证、代码与数值",
    "present.label": "演示视图",
    "present.help": "为投影仪放大数字，并折叠验证、代码和数值部分。分享链接中保留为 present=1。",
    # --- the Jacobian's block matrix: its legend ------------------------------------------
    "jac.marks_some": (
        "· 表示零。线条把分块隔开：Y 的每一行对应 {block} 行。行左侧的深色竖条标出种子加了权的行；没有标记的行乘以零。"
    ),
    "jac.marks_all": (
        "· 表示零。线条把分块隔开：Y 的每一行对应 {block} 行。种子给每一行都加了权（G 中没有零），"
        "所以不标记任何行：所有行都要相加。"
    ),
    # --- the two-layer chain (pages/chain.py) ------------------------------------------------
    "nav.chain": "两层网络的反向传播",
    "chain.title": "两层网络的反向传播：每个矩阵乘法都有自己的上游梯度",
    "chain.intro": (
        "Z = X @ W1 + b1，H = act(Z)，Y = H @ W2 + b2，L = sum(G ⊙ Y)。对整个网络使用一个 `tf.GradientTape`，"
        "就能得到下面的所有梯度。从上一层传到某个矩阵乘法的梯度，**就是**这个矩阵乘法的种子（即上游梯度，"
        "它在这里的角色就是 dL/dY）：dL/dZ 之于 Z = X @ W1，正如 G 之于演练场中的 Y = T @ B。"
    ),
    "chain.preset": "网络",
    "chain.preset_custom": "自定义网络",
    "chain.act": "激活函数 act",
    "chain.dtype": "精度（dtype）",
    "chain.edit": "编辑 X、W1、W2、b1、b2",
    "chain.edit_help": "行与行之间用“;”分隔，数与数之间用“,”分隔；b1 和 b2 各为一行，留空表示没有偏置。最大 8×8。",
    "chain.forward_heading": "前向：X → Z → H → Y",
    "chain.forward_text": "Z = X @ W1 + b1，H = {act}(Z)，Y = H @ W2 + b2。Y 中加框的单元格是种子加了权的元素。",
    "chain.X_title": "X ({shape})",
    "chain.W1_title": "W1 ({shape})",
    "chain.Z_title": "Z = X @ W1 + b1 ({shape})",
    "chain.H_title": "H = {act}(Z) ({shape})",
    "chain.W2_title": "W2 ({shape})",
    "chain.Y_title": "Y = H @ W2 + b2 ({shape})：点击设为种子",
    "chain.seed_mode": "种子 G = dL/dY",
    "chain.seed_help": "与演练场中的种子相同；点击 Y 的单元格，选择方式也和那里一样。",
    "chain.loss": "此时 L = {loss}。",
    "chain.backward_heading": "反向：按梯度带的计算顺序",
    "chain.backward_text": (
        "从种子往下：dL/dW2 = Hᵀ G 和 dL/db2（G 的列和：偏置在各行上广播，它的梯度就把各行的梯度加起来），"
        "dL/dH = G W2ᵀ（**传到激活函数的种子**），dL/dZ = dL/dH ⊙ act'(Z)（**第一个矩阵乘法的种子**），"
        "然后是 dL/dW1 = Xᵀ dL/dZ、dL/db1 和 dL/dX = dL/dZ W1ᵀ。点击任意梯度元素，即可写出它的求和式。"
    ),
    "chain.dY_title": "dL/dY = G ({shape})",
    "chain.dW2_title": "dL/dW2 = Hᵀ G ({shape})",
    "chain.db2_title": "dL/db2 (1×{n})",
    "chain.dH_title": "dL/dH = G W2ᵀ ({shape})：激活函数处的种子",
    "chain.slope_title": "{act} 的 act'(Z) ({shape})",
    "chain.dZ_title": "dL/dZ = dL/dH ⊙ act'(Z) ({shape})：第一个矩阵乘法的种子",
    "chain.dW1_title": "dL/dW1 = Xᵀ dL/dZ ({shape})",
    "chain.db1_title": "dL/db1 (1×{n})",
    "chain.dX_title": "dL/dX = dL/dZ W1ᵀ ({shape})",
    "chain.dead_units": (
        "死亡的隐藏单元：{units}。这些列在每一行的 act'(Z) 都是 0，梯度无法通过："
        "无论 dL/dH 是多少，dL/dZ、dL/dW1 和 dL/db1 的这些列都是 0。"
    ),
    "chain.sum_heading": "写出一个梯度元素",
    "chain.focus": "梯度元素",
    "chain.focus_none": "无：点击一个梯度单元格",
    "chain.sum_hint": "点击上面任意梯度的一个单元格（或在这里选择），即可看到构成它的求和式。",
    "chain.sum_symbols": "**{entry}** = {symbols}",
    "chain.sum_numbers": "= {numbers} = **{value}**",
    "chain.sum_tf": "TensorFlow（{dtype}）算出 {entry} = {value}。",
    "chain.sum_passed": "激活函数让这个元素通过了：{entry} 等于 dL/dH 乘以导数 act'(Z)。",
    "chain.sum_stopped": "激活函数挡住了这个元素：这里 act'(Z) 为 0（死亡的 ReLU），所以 {entry} 为 0。",
    "chain.check_heading": "检验：一个梯度带、公式、有限差分、两个演练场",
    "chain.check_tf": "梯度带（{dtype}）与公式一致：最大差异 {diff}（容差 {tol}）。",
    "chain.check_fd": "有限差分与公式一致：最大差异 {diff}（容差 {tol}）。",
    "chain.check_two": (
        "拆成两个演练场：以种子 G 计算 Y = H @ W2，再单独以 output_gradients = dL/dZ 计算 Z = X @ W1，"
        "得到的 dL/dW2、dL/dH、dL/dW1 和 dL/dX 与梯度带的相同（{dtype}）：最大差异 {diff}（容差 {tol}）。"
    ),
    "chain.check_bad": "几种方法的差异超出了浮点误差允许的范围。这是一个 bug，请报告给我们。",
    "chain.kinks": (
        "ReLU 在 {cells} 处正好位于拐点：那里的 Z 为 0（在当前 dtype 下），ReLU 在此没有导数。"
        "TensorFlow 在此取导数为 0；有限差分跨越了拐点两侧的导数。此时只要求两个演练场的结果一致。"
    ),
    "chain.code_heading": "当前视图的 TensorFlow 程序",
    "chain.nb_program": "用一个梯度带计算两层网络：它打印页面上显示的每一个梯度。",
    "chain.about": "**{name}**，act = {act}，种子 `{seed}`，{dtype}。",
    "chain.share": "**分享当前视图**：地址栏始终保存着当前的完整状态；复制这个链接即可：",
    "chain.seed_ones_help": (
        "G 处处为 1：L = sum(Y)。当 Y 不是标量时，tape.gradient(Y, [X, W1, b1, W2, b2]) 做的就是这件事。"
        "点击 Y 的某个单元格，就改为只对这一个元素求梯度。"
    ),
    "a11y.chart": "{name}，{rows} 行 {cols} 列",
    "a11y.table": "{label}：数值表",
    "a11y.picker": "；点击单元格的作用，用键盘可通过“{picker}”完成",
    "nav.teacher": "教师",
    "teacher.title": "教师：全班一览",
    "teacher.intro": (
        "创建一个班级，向学生展示学生链接或二维码，然后实时查看陆续提交的答案。只有教师链接能查看班级的答案：请勿外传。"
    ),
    "teacher.new": "新建班级",
    "teacher.new_help": "创建一个拥有独立代码和教师密钥的班级。班级及其答案会在 {days} 天后删除。",
    "teacher.rate_limited": "此处刚刚新建了太多班级：请等一分钟后再试。",
    "teacher.unavailable": "暂时无法连接班级数据库，请稍后再试。",
    "teacher.no_class": ("此教师链接无法打开任何班级：代码或密钥有误，或者班级已被删除（班级保留 {days} 天）。"),
    "teacher.student_link": "班级 **{code}** 的**学生链接**：学生打开它或扫描二维码即可加入。",
    "teacher.qr_caption": "学生链接的二维码",
    "teacher.teacher_link": "**教师链接**：回到这些答案的唯一途径。请妥善保管（加入书签）。",
    "teacher.students": "已加入的学生",
    "teacher.answers": "答案",
    "teacher.ended": "本班级已结束：不再接收答案。",
    "teacher.none_yet": "还没有答案。学生每次点击“检查”后几秒内就会显示在这里。",
    "teacher.problem_line": "**第 {q} 题**：{n} 个答案，{k} 个正确（正确率 {share}）",
    "teacher.in_front": "（当前全班的题目）",
    "teacher.entry_line": "{entry} = {value}：{n} 个中 {right} 个正确",
    "teacher.col_value": "错误的值",
    "teacher.col_count": "学生数",
    "teacher.col_reveals": "说明了什么",
    "teacher.first_only": "每个学生对每道题只统计第一次作答；重新检查的记录在 CSV 中。",
    "teacher.nicknames": "昵称：{names}",
    "teacher.current": "当前全班的题目：第 **{q}** 题。",
    "teacher.current_none": "未指定题目：每个学生各做各的。",
    "teacher.put_label": "题号",
    "teacher.put": "发给全班",
    "teacher.put_random": "随机出一道题",
    "teacher.put_free": "让学生自选",
    "teacher.end": "结束班级",
    "teacher.end_help": "停止接收答案。在班级被删除之前，答案仍可在此查看。",
    "teacher.csv": "下载全部答案（CSV）",
    "teacher.refresh": "每 {seconds} 秒自动刷新。",
    "class.diag.ones_seed": "用了全 1 种子（tape.gradient 的默认值）计算，而不是本题的种子",
    "class.diag.column_not_row": "用了 B（或 T）的一列而不是一行：矩阵没有转置",
    "class.diag.transpose": "正确梯度中下标互换后的那个元素",
    "class.diag.forward_y": "前向计算的值 Y = T @ B，而不是梯度",
    "class.diag.other_gradient": "另一个梯度的同一元素（把 dL/dT 和 dL/dB 弄反了）",
    "class.diag.sign": "数值正确但符号相反",
    "class.diag.whole_sum": "整个梯度的总和，而不是其中一个元素",
    "class.diag.none": "不符合已知的错误",
    "quiz.class_joined": ("你在班级 **{code}** 中：每次“检查”都会匿名发送给老师（如果填写了昵称，则附带昵称）。"),
    "quiz.class_problem": "这道题是老师指定的。",
    "quiz.nickname": "昵称（可选）",
    "quiz.nickname_help": "最多 24 个字符。留空即保持匿名。",
    "quiz.saved": "已保存：老师可以看到这个答案。",
    "quiz.pending": (
        "尚未保存：暂时无法连接班级数据库。有 {count} 个答案在此等待，连接恢复后会立即发送；请保持此标签页打开。"
    ),
    "quiz.class_ended": "本班级已结束：不再收集答案。",
    "quiz.class_unknown": "不存在班级 {code}（可能已被删除）：小测验照常可用，但答案不会被发送。",
    "quiz.class_unavailable": "暂时无法连接班级数据库：你的答案会在此等待，连接恢复后再发送。",
    "quiz.rate_limited": (
        "尚未保存：此标签页短时间内提交了太多答案。有 {count} 个答案在此等待，会在你下一次操作时发送；"
        "请保持此标签页打开。"
    ),
}
"""Every sentence of `ui.text.en.EN_PAGES` in Chinese (Simplified), under the same key."""
