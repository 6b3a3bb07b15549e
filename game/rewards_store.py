"""Reading a patient's `RewardBook` from the store: derived from rows that are already there.

No new table and no schema change: total reps are the counted rep rows; high scores come from
the `game` and `score` that the game adds to each finished session's summary (`summary_json`).
Sessions cut short by a crash have no summary, so their score does not count as a high score;
their reps still count toward levels, unlocks and the garden.
"""

from __future__ import annotations

import json

from game.rewards import RewardBook
from progress.recorder import PatientRecords


def load_book(records: PatientRecords | None) -> RewardBook:
    """The patient's totals and bests so far (an empty book when nothing is stored)."""
    if records is None:
        return RewardBook()
    conn = records.store.conn
    pid = records.patient_id
    total = conn.execute(
        "SELECT count(*) FROM reps r JOIN sessions s ON s.id = r.session_id "
        "WHERE s.patient_id = ? AND r.counted = 1",
        (pid,),
    ).fetchone()[0]
    ranges = conn.execute(
        "SELECT r.exercise_id, max(r.range_deg) FROM reps r JOIN sessions s "
        "ON s.id = r.session_id WHERE s.patient_id = ? AND r.counted = 1 GROUP BY r.exercise_id",
        (pid,),
    ).fetchall()
    best_score: dict[tuple[str, str], int] = {}
    for (text,) in conn.execute(
        "SELECT summary_json FROM sessions WHERE patient_id = ? AND summary_json IS NOT NULL",
        (pid,),
    ):
        summary = json.loads(text)
        game, score = summary.get("game"), summary.get("score")
        if isinstance(game, str) and isinstance(score, int):
            key = (str(summary.get("exercise")), game)
            best_score[key] = max(score, best_score.get(key, 0))
    return RewardBook(int(total), best_score, {str(e): float(r) for e, r in ranges})
