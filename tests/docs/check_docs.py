#!/usr/bin/env python3
"""Docs that run: runs every command example of a Markdown file and compares
its output with the lines the file shows beneath it (in the spirit of
SimGrid's .tesh files). The format is described in tests/README.md; in short:

    $ switchboard erlang b --traffic 10 --lines 15     <- a command (4-space indented block)
    blocking 0.0364994970595                            <- the output it must print
    ...                                                 <- a line of its own: any lines here
    [exit status 2]                                     <- last line: the expected exit status

A block is checked when its first line starts with `$ `. Each `$ ` line (with
`\\` continuation lines) is one command; the lines up to the next `$ ` line
are its expected output (stdout, then stderr). `[...]` inside a line matches
any text. An HTML comment `<!-- doc-check: skip REASON -->` right before a
block skips it (long runs, network): the reason is printed, never silent.
`<!-- doc-check: file NAME -->` before a block (fenced or indented) writes
its contents to NAME in the working directory, for the commands after it.

Every file of one run shares a working directory that looks like the
repository root (each top-level entry linked in, so relative paths work)
but is a fresh temporary directory, so files the examples write
(`--out plan.csv`) land there, not in the repository. `switchboard` and
`./build/switchboard` are the built binary given by --binary.

Also checked: every Markdown link or `docs/NAME.md` mention points to a file
that exists, and no fenced block hides a `$ switchboard` example (it would
escape this check).

Exit status 0 when every example reproduces, 1 otherwise.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile

SKIP = re.compile(r"<!--\s*doc-check:\s*skip\b\s*(.*?)\s*-->")
FILE = re.compile(r"<!--\s*doc-check:\s*file\s+(\S+)\s*-->")
EXIT = re.compile(r"^\[exit status (\d+)\]$")
ELISION_LINE = "..."
ELISION_INLINE = "[...]"


class Block:
    def __init__(self, line, lines, marker):
        self.line = line            # 1-based line of the block's first line in the file
        self.lines = lines          # dedented lines (indented block) or the fence's contents
        skip = SKIP.search(marker)
        self.skip_reason = skip.group(1) if skip else None
        file = FILE.search(marker)
        self.file = file.group(1) if file else None   # the block is this file's contents


def marker_above(lines, start):
    """The nearest non-blank line above line index `start` ('' if none)."""
    k = start - 1
    while k >= 0 and lines[k].strip() == "":
        k -= 1
    return lines[k] if k >= 0 else ""


def blocks_of(text):
    """The code blocks of a Markdown text in order: 4-space indented blocks,
    and fenced blocks (kept only when a `file` marker names them)."""
    lines = text.split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            start = i
            i += 1
            body = []
            while i < len(lines) and not lines[i].lstrip().startswith("```"):
                body.append(lines[i])
                i += 1
            block = Block(start + 2, body, marker_above(lines, start))
            if block.file:
                blocks.append(block)
            i += 1
            continue
        previous_blank = i == 0 or lines[i - 1].strip() == ""
        if line.startswith("    ") and line.strip() and previous_blank:
            start = i
            body = []
            while i < len(lines) and (lines[i].startswith("    ") or lines[i].strip() == ""):
                if lines[i].strip() == "":
                    # a blank line belongs to the block only if the block goes on after it
                    j = i
                    while j < len(lines) and lines[j].strip() == "":
                        j += 1
                    if j >= len(lines) or not lines[j].startswith("    "):
                        break
                body.append(lines[i][4:] if lines[i].startswith("    ") else "")
                i += 1
            blocks.append(Block(start + 1, body, marker_above(lines, start)))
            continue
        i += 1
    return blocks


def commands(block):
    """(line, command, expected lines) for each `$ ` command of a block."""
    result = []
    i = 0
    lines = block.lines
    while i < len(lines):
        if not lines[i].startswith("$ "):
            raise ValueError(f"line {block.line + i}: expected a `$ ` command, got {lines[i]!r}")
        first = block.line + i
        command = lines[i][2:]
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1].rstrip() + " " + lines[i].strip()
        i += 1
        expected = []
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        result.append((first, command.strip(), expected))
    return result


def output_pattern(expected):
    """A regex matching the output `expected` describes."""
    parts = []
    for line in expected:
        if line.strip() == ELISION_LINE:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = line.rstrip().split(ELISION_INLINE)
            parts.append("[^\n]*?".join(re.escape(p) for p in pieces) + r"[ \t]*\n")
    return re.compile("".join(parts))


def normalized(output):
    lines = [l.rstrip() for l in output.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return "".join(l + "\n" for l in lines)


def top_level_entries(root):
    """The repository's own top-level entries, what a clone has: a file a
    reader left in the root by trying the docs there (tickets.db) must not
    show through into the examples' runs. Every entry outside git."""
    try:
        listed = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return os.listdir(root)
    return sorted({path.split("/")[0] for path in listed.decode().split("\0") if path})


def work_dir(root, binary):
    """A temporary directory that stands for the repository root."""
    tmp = tempfile.TemporaryDirectory(prefix="doc-check-")
    for entry in top_level_entries(root):
        if entry in ("build", ".git"):
            continue
        os.symlink(os.path.join(root, entry), os.path.join(tmp.name, entry))
    os.mkdir(os.path.join(tmp.name, "build"))
    os.symlink(os.path.abspath(binary), os.path.join(tmp.name, "build", "switchboard"))
    return tmp


def run(command, cwd, timeout):
    env = dict(os.environ)
    env["PATH"] = os.path.join(cwd, "build") + os.pathsep + env.get("PATH", "")
    env["LC_ALL"] = "C"
    env["TZ"] = "UTC"
    p = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")
MENTION = re.compile(r"(?<![\w./-])(docs/[\w.-]+\.md)")


def check_references(path, text, root):
    """Every linked or mentioned Markdown file exists."""
    problems = []
    base = os.path.dirname(os.path.join(root, path))
    for n, line in enumerate(text.split("\n"), 1):
        for target in LINK.findall(line):
            if "://" not in target and not os.path.exists(os.path.join(base, target)):
                problems.append(f"{path}:{n}: links to {target}, which does not exist")
        for target in MENTION.findall(line):
            if not os.path.exists(os.path.join(root, target)):
                problems.append(f"{path}:{n}: mentions {target}, which does not exist")
    return problems


def check_fences(path, text):
    problems = []
    in_fence = False
    for n, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif in_fence and line.lstrip().startswith("$ switchboard"):
            problems.append(f"{path}:{n}: a `$ switchboard` example in a fenced block is never checked: "
                            "indent it by 4 spaces instead")
    return problems


def check_file(path, root, cwd, timeout, show):
    text = open(path, encoding="utf-8").read()
    rel = os.path.relpath(path, root)
    problems = check_references(rel, text, root) + check_fences(rel, text)
    ran = skipped = 0
    for block in blocks_of(text):
        if block.file:
            target = os.path.join(cwd, block.file)
            if os.path.lexists(target) or os.path.isabs(block.file) or ".." in block.file.split("/"):
                problems.append(f"{rel}:{block.line}: file marker {block.file}: must be a new file name "
                                "in the working directory")
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as out:
                out.write("".join(l + "\n" for l in block.lines))
            continue
        if not block.lines[0].startswith("$ "):
            continue
        if block.skip_reason is not None:
            if not block.skip_reason:
                problems.append(f"{rel}:{block.line}: a skip marker needs a reason")
            print(f"{rel}:{block.line}: skipped ({block.skip_reason})")
            skipped += 1
            continue
        try:
            cmds = commands(block)
        except ValueError as e:
            problems.append(f"{rel}:{e}")
            continue
        for line, command, expected in cmds:
            want_status = 0
            if expected and EXIT.match(expected[-1].strip()):
                want_status = int(EXIT.match(expected[-1].strip()).group(1))
                expected = expected[:-1]
            while expected and expected[-1].strip() == "":
                expected.pop()
            ran += 1
            try:
                status, output = run(command, cwd, timeout)
            except subprocess.TimeoutExpired:
                problems.append(f"{rel}:{line}: `{command}` ran longer than {timeout} s")
                continue
            actual = normalized(output)
            if show:
                print(f"{rel}:{line}: $ {command}\n{actual}[exit status {status}]")
            if status != want_status:
                problems.append(f"{rel}:{line}: `{command}` exited {status}, the doc expects {want_status}"
                                f"\n{actual}")
            if not output_pattern(expected).fullmatch(actual):
                diff = "\n".join(difflib.unified_diff([e.rstrip() for e in expected], actual.split("\n")[:-1],
                                                      "shown in the doc", "printed", lineterm=""))
                problems.append(f"{rel}:{line}: `{command}` printed something else:\n{diff}")
    print(f"{rel}: {ran} command(s) run, {skipped} block(s) skipped, {len(problems)} problem(s)")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the built switchboard")
    parser.add_argument("--root", required=True, help="the repository root")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per command (default 300)")
    parser.add_argument("--show", action="store_true", help="print what each command printed")
    parser.add_argument("--expect-problems", type=int, metavar="N",
                        help="succeed only if exactly N problems are found (the checker's own test)")
    parser.add_argument("files", nargs="+", help="Markdown files to check")
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"check_docs: --binary {args.binary}: not an executable file", file=sys.stderr)
        return 2
    root = os.path.abspath(args.root)
    problems = []
    with work_dir(root, args.binary) as cwd:
        for f in args.files:
            problems += check_file(os.path.abspath(f), root, cwd, args.timeout, args.show)
    for p in problems:
        print(p, file=sys.stderr)
    if problems and args.expect_problems is None:
        print("(the format is in tests/README.md: run with --show to see what each command prints; a block that "
              "needs a network service or a long run is left out with <!-- doc-check: skip REASON -->)",
              file=sys.stderr)
    if args.expect_problems is not None:
        return 0 if len(problems) == args.expect_problems else 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
