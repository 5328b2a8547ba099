"""Splitting a job's text into words and commands, in the three dialects (sh, cmd, ps).

Quotes are kept in the words (they are expanded when a command is reached, see
`shell_expand`); comments and here-document bodies are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bwdc_tray.adopt.calls import Dialect


@dataclass(frozen=True)
class Tok:
    kind: Literal["word", "op", "nl"]
    text: str
    line: int


_SH_OPS = ("&>>", "&>", ">>", ">&", ">|", "<<-", "<<", "<>", "<&", "<", ">", "&&", "||", "|&",
           ";;", ";", "&", "|", "(", ")")  # fmt: skip
_CMD_OPS = (">>", ">&", "<&", "<", ">", "&&", "||", "&", "|", "(", ")")
_PS_OPS = ("*>>", "*>", ">>", ">&", ">", "&&", "||", "|", ";", "{", "}")


def closing(text: str, i: int, open_ch: str, close_ch: str) -> int:
    """Index after the ``close_ch`` matching the ``open_ch`` at ``i`` (quotes respected)."""
    depth, j, n = 0, i, len(text)
    while j < n:
        ch = text[j]
        if ch == "\\" and j + 1 < n:
            j += 2
            continue
        if ch == "'" and open_ch == "(":
            end = text.find("'", j + 1)
            j = n if end < 0 else end + 1
            continue
        if ch == '"':
            k = j + 1
            while k < n and text[k] != '"':
                k += 2 if text[k] in "\\`" else 1
            j = k + 1
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def lex(text: str, dialect: Dialect) -> list[Tok]:
    ops = {"sh": _SH_OPS, "cmd": _CMD_OPS, "ps": _PS_OPS}[dialect]
    if dialect == "sh":
        text = text.replace("\\\r\n", "").replace("\\\n", "")
    elif dialect == "ps":
        text = re.sub(r"<#.*?#>", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
        text = text.replace("`\r\n", " ").replace("`\n", " ")
    text = text.replace("\r\n", "\n")
    out: list[Tok] = []
    line, i, n = 1, 0, len(text)
    word: list[str] = []
    heredocs: list[str] = []

    def flush() -> None:
        if word:
            out.append(Tok("word", "".join(word), line))
            word.clear()

    at_line_start = True
    while i < n:
        ch = text[i]
        if dialect == "cmd" and at_line_start:
            stripped = text[i:].lstrip(" \t@")
            low = stripped[:4].lower()
            if stripped.startswith("::") or low == "rem" or low.startswith("rem "):
                end = text.find("\n", i)
                i = n if end < 0 else end
                continue
        at_line_start = False
        if ch == "\n":
            flush()
            out.append(Tok("nl", "\n", line))
            line += 1
            i += 1
            at_line_start = True
            while heredocs:  # skip a here-document's body
                delim = heredocs.pop(0)
                while i < n:
                    end = text.find("\n", i)
                    body_line = text[i : n if end < 0 else end]
                    i = n if end < 0 else end + 1
                    line += 1
                    if body_line.strip() == delim:
                        break
            continue
        if ch in " \t":
            flush()
            i += 1
            continue
        if ch == "#" and not word and dialect in ("sh", "ps"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if dialect == "sh" and ch == "\\" and i + 1 < n:
            word.append(text[i : i + 2])
            i += 2
            continue
        if dialect == "cmd" and ch == "^" and i + 1 < n:
            word.append(text[i + 1])
            i += 2
            continue
        if dialect == "ps" and ch == "`" and i + 1 < n:
            word.append(text[i : i + 2])
            i += 2
            continue
        if ch == "'" and dialect in ("sh", "ps"):
            end = text.find("'", i + 1)
            if dialect == "ps":
                while 0 <= end < n - 1 and text[end + 1] == "'":
                    end = text.find("'", end + 2)
            end = n if end < 0 else end + 1
            line += text.count("\n", i, end)
            word.append(text[i:end])
            i = end
            continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if dialect != "cmd" and text[j] in ("\\" if dialect == "sh" else "`"):
                    j += 2
                    continue
                if dialect != "cmd" and text.startswith("$(", j):
                    j = closing(text, j + 1, "(", ")")
                    continue
                j += 1
            end = min(j + 1, n)
            line += text.count("\n", i, end)
            word.append(text[i:end])
            i = end
            continue
        if dialect in ("sh", "ps") and text.startswith("$(", i):
            end = closing(text, i + 1, "(", ")")
            word.append(text[i:end])
            i = end
            continue
        if dialect == "sh" and text.startswith("${", i):
            end = closing(text, i + 1, "{", "}")
            word.append(text[i:end])
            i = end
            continue
        if dialect == "ps" and ch == "(":  # (Join-Path …), if ($x): one word
            end = closing(text, i, "(", ")")
            word.append(text[i:end])
            i = end
            continue
        if dialect == "sh" and ch == "`":
            end = text.find("`", i + 1)
            end = n if end < 0 else end + 1
            word.append(text[i:end])
            i = end
            continue
        op = next((o for o in ops if text.startswith(o, i)), None)
        if dialect == "ps" and op in ("{", "}") and word:
            op = None  # ${env:X} and the like stay in the word
        if op is not None:
            fd = ""
            if word and "".join(word).isdigit() and op[0] in "<>":
                fd = "".join(word)
                word.clear()
            flush()
            out.append(Tok("op", fd + op, line))
            i += len(op)
            if op in ("<<", "<<-"):
                m = re.match(r"\s*(['\"]?)([\w.-]+)\1", text[i:])
                if m:
                    heredocs.append(m.group(2))
            continue
        word.append(ch)
        i += 1
    flush()
    return out


# --- commands -----------------------------------------------------------------------------------


@dataclass
class Cmd:
    words: list[str]  # raw words (quotes kept): expanded when the command is reached
    redirs: list[tuple[str, str]]  # (operator, raw target)
    line: int
    pipe_next: Cmd | None = None  # the next command of its pipeline
    piped: bool = False  # it reads another command's output


_REDIR = re.compile(r"^(\d*|\*|&)(>>|>|>\||>&|<|<&|<>)$")
_SEPARATORS = (";", "&&", "||", "&", ";;", "\n", "{", "}", "(", ")")


def split_commands(toks: Sequence[Tok]) -> list[Cmd]:
    cmds: list[Cmd] = []
    cur = Cmd([], [], toks[0].line if toks else 1)

    def end(piped: bool) -> None:
        nonlocal cur
        if cur.words or cur.redirs:
            cmds.append(cur)
        nxt = Cmd([], [], cur.line)
        if piped and (cur.words or cur.redirs):
            cur.pipe_next = nxt
            nxt.piped = True
        cur = nxt

    i = 0
    while i < len(toks):
        tok = toks[i]
        if not cur.words and not cur.redirs:
            cur.line = tok.line
        if tok.kind == "word" and tok.text in ("{", "}") and not cur.words and not cur.redirs:
            end(False)
            if tok.text == "{":
                cmds.append(Cmd(["{"], [], tok.line))
            else:
                cur.words.append("}")
                cur.line = tok.line
        elif tok.kind == "word":
            cur.words.append(tok.text)
        elif tok.kind == "nl" or tok.text in _SEPARATORS:
            end(False)
            if tok.text in ("{", "}") and tok.kind == "op":
                cmds.append(Cmd([tok.text], [], tok.line))
        elif tok.text in ("|", "|&"):
            end(True)
        elif _REDIR.match(tok.text) or tok.text in ("&>", "&>>", "*>", "*>>"):
            target = ""
            if i + 1 < len(toks) and toks[i + 1].kind == "word":
                target = toks[i + 1].text
                i += 1
            cur.redirs.append((tok.text, target))
        i += 1
    end(False)
    return cmds
