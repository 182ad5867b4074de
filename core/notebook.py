"""A page's programs as a Jupyter notebook, so a student can take them home and run them.

Every page shows the TensorFlow (or PyTorch, JAX) programs that give its numbers. A notebook of
those exact programs, each after a sentence saying what it prints, is the page in a form that runs
anywhere Python and TensorFlow do: "Run all" prints the numbers the page shows. The texts are made
by the caller (the page, in the reader's language); this module only puts them into nbformat v4.

nbformat is imported on the first call, so a page that merely offers the download pays nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

Cell = tuple[str, str] | tuple[str, str, bool]
"""(markdown, code) or (markdown, code, raises): a sentence, then the program it introduces.

`raises` marks a program that is meant to raise (PyTorch's `Y.backward()` on a matrix, …): its
cell gets the `raises-exception` tag, with which Jupyter's "Run all" and nbclient go on after it.
An empty markdown puts the code cell on its own.
"""

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
LANGUAGE_INFO = {"name": "python"}


def notebook(title: str, cells: Sequence[Cell], intro: str = "") -> bytes:
    """The .ipynb file (UTF-8 JSON) of `cells`, after a first markdown cell `# title` and `intro`.

    Code cells hold the programs exactly as given (one trailing newline dropped, as Jupyter stores
    them); they have no outputs: the reader's own run makes them.
    """
    import nbformat
    from nbformat import v4

    first = f"# {title}" + (f"\n\n{intro}" if intro else "")
    book = v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)})
    book.cells.append(v4.new_markdown_cell(first))
    for markdown, code, *rest in cells:
        if markdown:
            book.cells.append(v4.new_markdown_cell(markdown))
        cell = v4.new_code_cell(code.removesuffix("\n"))
        if rest and rest[0]:
            cell.metadata["tags"] = ["raises-exception"]
        book.cells.append(cell)
    for number, cell in enumerate(book.cells):
        cell.id = f"cell-{number}"  # the same problem gives the same file (nbformat's are random)
    nbformat.validate(book)
    return nbformat.writes(book).encode("utf-8")
