"""Progress: the patient's history in one SQLite file, and what is made from it.

`store` opens and migrates the database, `recorder` writes a session rep by rep as it happens,
`history` reads it back into plain numbers (days, streaks, bests, trends) for the game's history
screen, the therapist report (`report`, `charts`) and the exports (`export_csv`, `fhir`).

This package imports `exercises` types and never pygame or `game`.
"""
