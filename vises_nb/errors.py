"""Errors a user can cause. Each message names what is wrong and what to do.

The CLI turns any `VisesError` into one line on stderr and a non-zero exit code, so
no traceback ever reaches a user for a mistake they can fix.

An error carries a catalogue key and its values, not a sentence: the same error is shown
in French on a Walloon accompanier's dashboard and in English in a CI log. `str(exc)`
renders it in the current language (`set_language`, set once by the CLI; English by
default), `exc.message(lang)` in any other.
"""

from __future__ import annotations

from typing import Any

from vises_nb import i18n

DEFAULT_LANGUAGE = "en"
_language = DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """The language `str(error)` uses from now on in this process (the CLI's --lang)."""
    global _language
    _language = lang


def current_language() -> str:
    return _language


def render(value: Any, lang: str) -> Any:
    """A message value as shown in `lang`: nested messages, data labels and vocabulary
    terms are translated; lists become comma-separated text (tuples, such as record keys,
    stay as they are); anything else is left to str.format."""
    if callable(getattr(value, "message", None)):  # Message, Joined, VisesError
        return value.message(lang)
    if isinstance(value, i18n.Labels):
        return value[lang]
    if callable(getattr(value, "label", None)):  # a vocabulary term: its label in `lang`
        return value.label(lang)
    if isinstance(value, list):
        return ", ".join(str(render(v, lang)) for v in value)
    return value


class Message:
    """A catalogue key and its {placeholder} values, rendered in a language on demand."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: Any):
        self.key = key
        self.values = values

    def message(self, lang: str | None = None) -> str:
        lang = lang or current_language()
        return i18n.t(self.key, lang, **{k: render(v, lang) for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.values) == (other.key, other.values)

    def __hash__(self) -> int:
        return hash(self.key)

    def __reduce__(self):
        return (_message, (self.key, self.values))


class Joined:
    """Several messages shown on one line, one after the other."""

    def __init__(self, parts: list[Any], separator: str = "; "):
        self.parts = list(parts)
        self.separator = separator

    def message(self, lang: str | None = None) -> str:
        lang = lang or current_language()
        return self.separator.join(str(render(part, lang)) for part in self.parts)

    def __str__(self) -> str:
        return self.message()


def _message(key: str, values: dict[str, Any]) -> Message:
    return Message(key, **values)


def _rebuild(cls: type[BaseException], args: tuple, state: dict[str, Any]) -> BaseException:
    """Unpickle an error whatever its __init__ takes (errors cross process boundaries)."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class VisesError(Exception):
    """Base class of every error a user can cause and fix.

    `VisesError("err.some.key", name=value, ...)`: the key names a catalogue entry
    whose text has {name} placeholders. A key missing from the catalogues is shown as
    it is, so a plain English sentence still works (but the i18n test refuses it).
    """

    exit_code = 2

    def __init__(self, key: str, /, **values: Any):
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str | None = None) -> str:
        """The one-line message in `lang` (default: the current language)."""
        return Message(self.key, **self.values).message(lang)

    def __str__(self) -> str:
        return self.message()

    def __reduce__(self):
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class ValidationError(VisesError):
    """A value does not fit the model: the message names the field and what is expected."""


class StoreError(VisesError):
    """The store cannot be opened, created or upgraded."""


class ConflictError(VisesError):
    """A save was based on a stale revision: someone else saved in between."""

    exit_code = 3


class NotFoundError(VisesError):
    """A record (enterprise, question...) that was asked for does not exist."""


class Refused(VisesError):
    """What was asked was refused and nothing of it done: the person may not see or
    change this (AccessError), or another program holds the store's write lock
    (StoreBusyError). A page answers a refused save beside it, in words, keeping what
    was typed; only the access layer logs (its own refusals)."""


class AccessError(Refused):
    """The person signed in may not see or change this (their role, or a disabled account)."""

    exit_code = 4


class StoreBusyError(StoreError, Refused):
    """Another program kept the store's write lock longer than vises waits for it
    (`$VISES_BUSY_SECONDS`): nothing was written; try again once it is done. Not an
    access refusal: neither logged nor answered as one."""


class ParameterError(VisesError):
    """A notebook parameter is unknown or of the wrong type."""


class RunError(VisesError):
    """At least one notebook of a batch run failed; the others were still published."""

    exit_code = 1


class FileSystemError(VisesError):
    """A file or folder a command reads or writes cannot be (no such folder, a file in the
    way, no permission, disk full...): named, with what to do, never a traceback."""


_OS_PROBLEMS = {"ENOENT": "err.os.not_found", "EACCES": "err.os.denied",
                "EPERM": "err.os.denied", "ENOTDIR": "err.os.not_folder",
                "EISDIR": "err.os.is_folder", "EEXIST": "err.os.exists", "ENOSPC": "err.os.full",
                "EDQUOT": "err.os.full", "EROFS": "err.os.read_only",
                "ENAMETOOLONG": "err.os.name_too_long"}


def file_system_error(exc: OSError, key: str = "err.os") -> FileSystemError:
    """`exc` as a message naming the file and the problem in the reader's language (the
    system's own words, in English, only for a rare error not listed). `key` words what
    was left as it was: "err.os" (nothing else changed), "err.os.run" (`vises run`: the
    reports published before it stay, each whole)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    known = _OS_PROBLEMS.get(name)
    problem: Any = Message(known) if known else (exc.strerror or type(exc).__name__)
    where = exc.filename if exc.filename is not None else exc.filename2
    return FileSystemError(key, file=str(where) if where is not None else "?",
                           problem=problem)
