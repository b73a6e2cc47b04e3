"""Build the compiled copy of the package: ``python tools/compile.py [OUT]``.

``OUT`` defaults to ``build/compiled``.

The e-invoice engine (``defa.einvoice``: the model, readers and writers, rule engine, rule
modules and conversion; with the MyInvois and ETDA readers, writers and mappings: the
modules listed in ``COMPILED``) is compiled to C extension modules with mypyc, from the same
sources the tests and the type check read. ``OUT`` receives a copy of ``src/defa`` with the
extension modules beside their sources; ``PYTHONPATH=OUT`` puts it in front of the editable
install. ``make run``, ``make bench`` and the compiled half of ``make test`` do that, and
rebuild it whenever a file under ``src`` is newer than the last build: the sources under
``src`` never get a compiled module next to them, so an edit is never shadowed by a stale
one.

The old ``OUT`` is removed first; the build happens in ``OUT.tmp``, renamed to ``OUT`` only
when it is whole. See docs/adr/0010-a-compiled-copy-of-the-e-invoice-engine.md.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

#: Besides ``defa.einvoice``: the national formats' own readers, writers and mappings.
_NATIONAL = (
    "defa/countries/my/_map_*.py",
    "defa/countries/my/myinvois/*_syntax.py",
    "defa/countries/my/myinvois/_binding.py",
    "defa/countries/th/etda/*.py",
)

#: Left as Python in the copy. A module that only re-exports another's names under an older
#: path (compiled, its functions would be other objects than the originals, which a test
#: checks); modules whose functions the tests replace on the module (``monkeypatch``: the
#: crosswalk's loader, the profiles' clock, the ETDA schema's folders), which compiled
#: callers in the same module would not see.
_PYTHON = {
    "defa/einvoice/rules/peppol/_tree.py",
    "defa/einvoice/crosswalk.py",
    "defa/einvoice/profiles.py",
    "defa/countries/th/etda/schema.py",
}

#: The modules compiled, relative to ``src``: every module of ``defa.einvoice`` and of
#: ``_NATIONAL`` but the package ``__init__`` modules (which register the rules and formats)
#: and those above. The rest of the package runs as Python in the copy too.
COMPILED = sorted(
    str(path.relative_to(SRC))
    for path in [
        *(SRC / "defa" / "einvoice").rglob("*.py"),
        *(found for pattern in _NATIONAL for found in SRC.glob(pattern)),
    ]
    if path.name != "__init__.py" and str(path.relative_to(SRC)) not in _PYTHON
)

#: mypy's view for the compile: third-party packages untyped (``Any``). mypyc checks a value
#: against its declared type where it crosses into compiled code; a stub's type is not always
#: what the library gives (lxml's ``tag`` is a function for a comment, not a ``str``), and a
#: compiled check must not reject what the interpreted one accepts. A config of its own, so
#: the project's (``mypy --strict`` with the stubs, for the type check) is not picked up.
MYPY_CONFIG = """\
[mypy]
no_site_packages = True
ignore_missing_imports = True
cache_dir = {cache}
"""

_SETUP = """\
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="defa-compiled",
    ext_modules=mypycify({args!r}, opt_level="3", debug_level="0", multi_file=True),
    script_args=["build_ext", "--inplace"],
)
"""


def build(out: Path) -> None:
    # The copy is whole or absent: the old one goes first, so a failed build leaves none
    # (its users then import the sources) rather than one older than the sources.
    shutil.rmtree(out, ignore_errors=True)
    work = out.with_name(out.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(
        ROOT / "src" / "defa",
        work / "defa",
        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"),
    )
    missing = [m for m in COMPILED if not (work / m).is_file()]
    if missing:
        raise SystemExit(f"compile: not in src: {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "mypy.ini"
        config.write_text(MYPY_CONFIG.format(cache=Path(tmp) / "mypy-cache"))
        setup = Path(tmp) / "setup.py"
        setup.write_text(_SETUP.format(args=["--config-file", str(config), *COMPILED]))
        log = Path(tmp) / "build.log"
        started = time.monotonic()
        print(f"compile: {len(COMPILED)} modules with mypyc into {out} (a few minutes) ...")
        with log.open("wb") as sink:
            done = subprocess.run(
                [sys.executable, str(setup)], cwd=work, stdout=sink, stderr=subprocess.STDOUT
            )
        if done.returncode:
            sys.stderr.write(log.read_text(errors="replace")[-6000:])
            shutil.rmtree(work, ignore_errors=True)
            raise SystemExit(f"compile: mypyc failed (exit {done.returncode}); log above")
    shutil.rmtree(work / "build", ignore_errors=True)
    work.rename(out)
    print(f"compile: done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "compiled")
