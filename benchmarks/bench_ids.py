"""Identifier validation: DEFA's scheme interface against calling python-stdnum directly.

The baseline is python-stdnum's own ``validate`` on the same values, measured in the same
run; the ratio shows what the uniform interface (report, codes, formatting) costs.
"""

from __future__ import annotations

from stdnum.sg import uen
from stdnum.th import tin

from benchmarks.timing import per_call
from defa import ids

# Numbers from python-stdnum's documentation (published examples).
VALUES = {("SG", "uen", uen): ["00192200M", "197401143C", "S16FC0121D"],
          ("TH", "tin", tin): ["1234545678781", "0993000133978"]}  # fmt: skip


def run() -> list[str]:
    lines = []
    for (cc, name, module), values in VALUES.items():
        scheme = ids.scheme(cc, name)

        def ours(values: list[str] = values, scheme: ids.Scheme = scheme) -> None:
            for v in values:
                scheme.is_valid(v)

        def baseline(values: list[str] = values, module: object = module) -> None:
            for v in values:
                module.is_valid(v)  # type: ignore[attr-defined]

        t_ours = per_call(ours) / len(values)
        t_base = per_call(baseline) / len(values)
        lines.append(
            f"{cc} {name}: defa {t_ours * 1e6:.2f} µs/value, python-stdnum {t_base * 1e6:.2f} "
            f"µs/value (baseline), ratio {t_ours / t_base:.2f}x"
        )
    return lines
