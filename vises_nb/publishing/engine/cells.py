"""Run a notebook's code cells in this process with IPython, recording nbformat outputs.

This is what ipykernel does minus the messaging: the same InteractiveShell runs each
cell; stdout/stderr, display() calls, the last expression's value and errors become the
cell's outputs. It runs in a freshly forked child (see `zygote`), so every notebook
starts from the warm process's pristine state: no name, module patch or option set by
one notebook can reach the next. No ZMQ socket is opened, so no port can be raced for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config


@dataclass
class CellError:
    """The first failing cell: its index among all the notebook's cells, and the error."""

    cell: int
    ename: str
    evalue: str


def _defaults(output_type: str) -> dict[str, Any]:
    return {"stream": {"name": "stdout", "text": ""},
            "display_data": {"metadata": {}, "data": {}},
            "execute_result": {"metadata": {}, "data": {}, "execution_count": None},
            "error": {"ename": "NotImplementedError", "evalue": "", "traceback": []},
            }.get(output_type, {})


def new_output(output_type: str, **fields: Any) -> nbformat.NotebookNode:
    """`nbformat.v4.new_output` without validating each output against the notebook
    schema as it is made (~1 ms each, thousands per run): the same node, and the whole
    notebook is validated once, when it is written at the end (`nbformat.writes`)."""
    output = nbformat.NotebookNode(output_type=output_type)
    output.update({**_defaults(output_type), **fields})
    return output


class _Sink:
    """Where the current cell's outputs go."""

    def __init__(self) -> None:
        self.outputs: list[Any] = []

    def add(self, output: Any) -> None:
        self.outputs.append(output)


SINK = _Sink()


class _Stream:
    """sys.stdout / sys.stderr for a cell: consecutive writes merge into one output."""

    encoding = "utf-8"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        if not text:
            return 0
        last = SINK.outputs[-1] if SINK.outputs else None
        if last is not None and last.get("output_type") == "stream" and last.name == self.name:
            last.text += text
        else:
            SINK.add(new_output("stream", name=self.name, text=text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                **kwargs) -> None:
        SINK.add(new_output("display_data", data=data, metadata=metadata or {}))

    def clear_output(self, wait: bool = False) -> None:
        SINK.outputs.clear()


class _Hook(DisplayHook):
    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        SINK.add(new_output("execute_result", data=format_dict,
                                        metadata=md_dict or {},
                                        execution_count=self.prompt_count))


def _record_error(etype: type, evalue: BaseException, stb: list[str]) -> None:
    SINK.add(new_output("error", ename=getattr(etype, "__name__", str(etype)),
                                    evalue=str(evalue), traceback=stb))


def make_shell() -> InteractiveShell:
    """The shell a warm process prepares once: no history thread, colourless tracebacks."""
    config = Config()
    config.HistoryManager.enabled = False  # no SQLite file, no saving thread to fork
    shell = InteractiveShell.instance(config=config, colors="nocolor")
    shell.display_pub = _Publisher(shell=shell)
    hook = _Hook(shell=shell, cache_size=0)
    shell.displayhook = hook
    shell.display_trap.hook = hook
    shell._showtraceback = _record_error  # type: ignore[method-assign]
    return shell


def run_cells(notebook: nbformat.NotebookNode,
              before_cell: Callable[[int], None] | None = None) -> CellError | None:
    """Execute the code cells in order; stop at the first error (as papermill does)."""
    import sys

    shell = make_shell() if not InteractiveShell.initialized() else InteractiveShell.instance()
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")  # type: ignore[assignment]
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if before_cell:
                before_cell(index)
            cell.outputs = SINK.outputs = []
            result = shell.run_cell(cell.source, store_history=True)
            cell.execution_count = result.execution_count
            failure = result.error_in_exec or result.error_before_exec
            if failure is not None:
                return CellError(index, type(failure).__name__, str(failure))
    finally:
        sys.stdout, sys.stderr = out, err
    return None
