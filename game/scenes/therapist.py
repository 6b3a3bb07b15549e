"""Therapist mode (behind the PIN): patients, their plans, and their last sessions at a glance.

Left: a list of rows (arrows or the mouse). Right: the focused patient's last sessions and the plan
as progression has moved it. Choosing a patient opens the editor: name, sides, age group, and the
plan's blocks (exercise, sets, reps, rest, game), changed with ← → or by clicking the ‹ › ends of a
row. Saving builds the plan and checks it exactly as `plan check` does; nothing invalid is saved.
Patient mode never reaches this screen, so patients cannot change their own targets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from exercises.catalogue import AUTO_ID, get_exercise, load_catalogue
from exercises.games_catalogue import GAME_IDS
from exercises.plan import AGE_GROUPS, SIDES, PlanFileError, check_plan
from game import widgets
from game.text_audit import draw_text
from game.actions import Action, ActionEvent
from game.scene import Scene
from game.scenes.profile import NO_STORE, open_ctx_store
from progress.history import load_history
from progress.patients import Patient, list_patients, save_patient
from progress.plans import current_plan, save_plan
from progress.store import StoreError

if TYPE_CHECKING:
    from game.context import SessionContext

ROW_H, ROWS_SHOWN, LIST_X, LIST_W, TOP = 54.0, 9, 40.0, 620.0, 110.0
NEGLECT = (None, "left", "right")
STEPPED = {"sets": (1, 5, 1), "reps": (1, 30, 1), "rest_s": (0, 300, 15)}  # min, max, step
EXERCISES = [e for e in load_catalogue() if e != AUTO_ID]


def _cycle(values: list[Any] | tuple[Any, ...], value: Any, step: int) -> Any:
    i = values.index(value) if value in values else 0
    return values[(i + step) % len(values)]


class TherapistScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.store = open_ctx_store(ctx)  # None only without a data folder (then: a note)
        self.patients = list_patients(self.store) if self.store is not None else []
        self.focus = 0
        self.editing: dict[str, Any] | None = None  # the form while a patient is open
        self.note = NO_STORE if self.store is None else ""
        self.row_rects: list[tuple[int, pygame.Rect]] = []

    # --- rows ----------------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, str]]:
        """(kind, label) pairs: kind says what SELECT and ← → do."""
        if self.editing is None:
            return [("patient", p.name) for p in self.patients] + [
                ("new", "New patient"), ("leave", "Back to the game")
            ]  # fmt: skip
        f = self.editing
        rows = [
            ("name", f"Name: {f['name']}_"),
            ("side", f"‹ Weaker side: {f['side']} ›"),
            ("age", f"‹ Age group: {f['age']} ›"),
            ("neglect", f"‹ Misses a side: {f['neglect'] or 'no'} ›"),
        ]
        for i, b in enumerate(f["blocks"]):
            rows += [
                (f"exercise:{i}", f"‹ {i + 1}. {get_exercise(b['exercise']).name} ›"),
                (f"sets:{i}", f"‹    sets: {b['sets']} ›"),
                (f"reps:{i}", f"‹    reps: {b['reps']} ›"),
                (f"rest_s:{i}", f"‹    rest: {b['rest_s']:g} s ›"),
                (f"game:{i}", f"‹    game: {b['game']} ›"),
            ]
        actions = [("add", "Add an exercise"), ("drop", "Remove the last exercise")]
        return [*rows, *actions, ("save", "Save"), ("cancel", "Cancel")]

    def open(self, patient: Patient | None) -> None:
        blocks = [{"exercise": "wrist_extension", "sets": 3, "reps": 5, "rest_s": 60.0,
                   "game": "rep_rush"}]  # fmt: skip
        stored = (
            None if patient is None or self.store is None else current_plan(self.store, patient.id)
        )
        if stored is not None:
            blocks = [
                {k: getattr(b, k) for k in ("exercise", "sets", "reps", "rest_s", "game")}
                for b in stored.plan.blocks
            ]
        self.editing = {
            "id": None if patient is None else patient.id,
            "name": "" if patient is None else patient.name,
            "side": (patient and patient.affected_side) or "left",
            "age": (patient and patient.age_group) or "adult",
            "neglect": patient.neglected_side if patient else None,
            "blocks": blocks,
        }
        self.focus, self.note = 0, ""

    # --- input ---------------------------------------------------------------------------------
    def handle_text(self, text: str) -> None:
        if self.editing is not None and self.rows()[self.focus][0] == "name":
            self.editing["name"] = (self.editing["name"] + text)[:60]

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        a, n = event.action, len(self.rows())
        kind = self.rows()[self.focus][0]
        if a is Action.UP:
            self.focus = (self.focus - 1) % n
        elif a is Action.DOWN:
            self.focus = (self.focus + 1) % n
        elif a in (Action.LEFT, Action.RIGHT):
            self.change(kind, -1 if a is Action.LEFT else 1)
        elif a is Action.BACK and kind == "name" and self.editing is not None:
            self.editing["name"] = self.editing["name"][:-1]
        elif a is Action.SELECT:
            self.select(kind)
        elif a is Action.STOP:
            self.leave() if self.editing is None else self.open_list()

    def handle_click(self, pos: tuple[int, int]) -> None:
        for index, r in self.row_rects:
            if r.collidepoint(pos):
                self.focus = index
                kind = self.rows()[index][0]
                third = (pos[0] - r.left) / max(r.width, 1)
                if ":" in kind or kind in ("side", "age", "neglect"):
                    self.change(kind, -1 if third < 0.5 else 1)
                else:
                    self.select(kind)
                return

    def change(self, kind: str, step: int) -> None:
        f = self.editing
        if f is None:
            return
        if kind == "side":
            f["side"] = _cycle(SIDES, f["side"], step)
        elif kind == "age":
            f["age"] = _cycle(AGE_GROUPS, f["age"], step)
        elif kind == "neglect":
            f["neglect"] = _cycle(NEGLECT, f["neglect"], step)
        elif ":" in kind:
            field, index = kind.split(":")
            block = f["blocks"][int(index)]
            if field == "exercise":
                block["exercise"] = _cycle(EXERCISES, block["exercise"], step)
            elif field == "game":
                block["game"] = _cycle(GAME_IDS, block["game"], step)
            else:
                low, high, size = STEPPED[field]
                block[field] = min(high, max(low, block[field] + step * size))

    def select(self, kind: str) -> None:
        f = self.editing
        if kind == "patient":
            self.open(self.patients[self.focus])
        elif kind == "new":
            self.open(None)
        elif kind == "leave":
            self.leave()
        elif f is None:
            return
        elif kind == "add":
            f["blocks"].append(dict(f["blocks"][-1]))
        elif kind == "drop" and len(f["blocks"]) > 1:
            f["blocks"].pop()
        elif kind == "save":
            self.save()
        elif kind == "cancel":
            self.open_list()
        elif ":" in kind or kind in ("side", "age", "neglect"):
            self.change(kind, 1)

    def save(self) -> None:
        f = self.editing
        assert f is not None
        patient = {"name": f["name"], "affected_side": f["side"], "age_group": f["age"]}
        if f["neglect"]:
            patient["neglected_side"] = f["neglect"]
        try:
            if self.store is None:
                raise StoreError(NO_STORE)
            plan = check_plan({"patient": patient, "blocks": f["blocks"]}, "the plan")
            if f["id"] is not None:  # a renamed patient keeps their history
                save_patient(self.store, plan.patient.name, f["side"], f["age"], f["neglect"],
                             f["id"])  # fmt: skip
            save_plan(self.store, plan)
        except (PlanFileError, StoreError) as exc:
            problems = exc.problems if isinstance(exc, PlanFileError) else [str(exc)]
            self.note = problems[0]
            return
        self.open_list()
        self.note = f"Saved: {plan.patient.name}, {plan.planned_reps} reps a session."

    def open_list(self) -> None:
        self.editing, self.focus = None, 0
        self.patients = list_patients(self.store) if self.store is not None else []

    def leave(self) -> None:
        self.ctx.scenes.go("menu")

    # --- drawing -------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        title = "Therapist" if self.editing is None else "Patient and plan"
        widgets.text(surface, theme, title, theme.heading(), (LIST_X, 24), pal.accent)
        rows = self.rows()
        first = min(max(0, self.focus - ROWS_SHOWN // 2), max(0, len(rows) - ROWS_SHOWN))
        self.row_rects = []
        for slot, index in enumerate(range(first, min(len(rows), first + ROWS_SHOWN))):
            r = widgets.rect(theme, LIST_X, TOP + slot * ROW_H, LIST_W, ROW_H - 8)
            focused = index == self.focus
            pygame.draw.rect(surface, pal.accent if focused else pal.panel, r,
                             border_radius=theme.px(10))  # fmt: skip
            if focused:  # focus by shape too: a thick edge
                pygame.draw.rect(surface, pal.text, r, theme.px(4), border_radius=theme.px(10))
            color = pal.accent_text if focused else pal.text
            draw_text(surface, theme.font(32, bold=focused), rows[index][1], color, "midleft",
                      (r.left + theme.px(16), r.centery), r)  # fmt: skip
            self.row_rects.append((index, r))
        self.draw_summary(surface)
        if self.note:
            widgets.text(surface, theme, self.note, theme.hint(), (LIST_X, 612), pal.text)
        widgets.stop_hint(surface, theme, "Esc: back")
        widgets.key_hint(surface, theme, "Left/Right change, SPACE chooses, or the mouse")

    def draw_summary(self, surface: pygame.Surface) -> None:
        """The focused patient's last sessions and plan, on the right."""
        theme = self.ctx.theme
        patient = None
        if self.editing is None and self.focus < len(self.patients):
            patient = self.patients[self.focus]
        elif self.editing is not None and self.editing["id"] is not None:
            patient = next((p for p in self.patients if p.id == self.editing["id"]), None)
        if patient is None or self.store is None:
            return
        x, y = 700.0, TOP
        widgets.text(
            surface, theme, f"Last sessions of {patient.name}", theme.font(32, True), (x, y)
        )
        history = load_history(self.store, patient.id, self.store.now().date())
        lines = [
            f"{s.local_date:%d %b}: {s.reps} reps, {s.sets_done} sets"
            + ("" if s.status == "completed" else " (cut short)")
            for s in history.sessions[-4:]
        ] or ["No sessions yet."]
        stored = current_plan(self.store, patient.id)
        if stored is not None:
            today = stored.today
            lines.append(f"Plan: {today.planned_reps} reps, goal {today.goal_reps}")
            for b in today.blocks[:3]:
                name = get_exercise(b.exercise).name
                lines.append(f"{name}: {b.sets}×{b.reps}, target {b.target_range_deg:g}")
        for i, line in enumerate(lines[:9]):
            widgets.text(surface, theme, line, theme.hint(), (x, y + 48 + 44 * i))
