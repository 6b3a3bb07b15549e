"""README's performance figures are the ones in bench/results.json (and the code), not copies.

If the first test fails: run `make bench` (or keep its last results) and `python -m bench.readme`.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bench.readme import FIGURE, README, RESULTS, ReadmeError, render


def results() -> dict[str, Any]:
    return dict(json.loads(RESULTS.read_text(encoding="utf-8")))


def test_readme_says_what_results_json_and_the_code_say() -> None:
    readme = README.read_text(encoding="utf-8")
    assert render(readme, results()) == readme, (
        "README.md disagrees with bench/results.json: run `python -m bench.readme`"
    )


def test_the_performance_section_is_marked_and_its_prose_quotes_figures() -> None:
    readme = README.read_text(encoding="utf-8")
    section = readme[readme.index("## Performance") : readme.index("## Data and credits")]
    assert "<!-- perf:begin -->" in section and "<!-- perf:end -->" in section
    quoted = {m["name"] for m in FIGURE.finditer(section)}
    assert {"startup_median", "startup_help", "stream_x_100", "frame_worst_p99"} <= quoted
    assert "min_rep_s" in {m["name"] for m in FIGURE.finditer(readme)}  # the detector's prose


def test_a_changed_result_changes_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    changed = copy.deepcopy(results())
    changed["startup"]["median_ms"] = 98765
    changed["frame_time"]["worst_p99_ms"] = 43.21
    rendered = render(readme, changed)
    assert rendered != readme
    assert "| 98,765 |" in rendered  # the summary table's row
    assert "<!--v:startup_median-->98,765 ms<!--/v-->" in rendered
    assert "<!--v:frame_worst_p99-->43.2 ms<!--/v-->" in rendered


def test_an_unknown_figure_or_a_missing_block_is_named() -> None:
    readme = README.read_text(encoding="utf-8")
    with pytest.raises(ReadmeError, match="no_such_figure"):
        render(readme + "\n<!--v:no_such_figure-->1<!--/v-->\n", results())
    with pytest.raises(ReadmeError, match="perf:begin"):
        render(readme.replace("<!-- perf:begin -->", ""), results())
