"""Check (and convert) many invoices at once, resumably, on local processes or a Dask cluster.

::

    from defa.batch import Job, run
    summary = run(Job(inputs=expand("invoices/*.xml"), out=Path("results.jsonl")))

Every input becomes one JSON line in the output file (:mod:`defa.batch.journal`). A run
that is killed and started again with the same job skips the inputs already written, so
each input appears exactly once when the run completes, whichever engine does the work
(:mod:`defa.batch.engines`). The line for an input depends only on the input's bytes and
the job's options, never on the worker that made it.
"""

from __future__ import annotations

from defa.batch.inputs import expand
from defa.batch.journal import Journal, run_key
from defa.batch.runner import Job, Summary, run
from defa.batch.work import check_file

__all__ = ["Job", "Journal", "Summary", "check_file", "expand", "run", "run_key"]
