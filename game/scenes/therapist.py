"""Therapist mode (behind the PIN): patients, their plans, and their last sessions at a glance.

Left: a list of rows (arrows or the mouse), with a sign when it scrolls. Right: the focused
patient's last sessions (with any pain reported), and the plan in force as progression has moved
it — the same `plan_in_force` the game plays. Choosing a patient opens the editor
(`game.therapist_form`): every field of the plan, changed with ← → or by clicking the ‹ › ends
of a row. Saving checks the plan exactly as `plan check` does; nothing invalid is saved. What the
right side shows is read when the focus moves, never while drawing. Patient mode never reaches
this screen, so patients cannot change their own targets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from exercises.catalogue import get_exercise
from exercises.plan import PlanFileError, check_plan
from game import therapist_form as form
from game import widgets
from game.actions import Action, ActionEvent
from game.scene import Scene
from game.scenes.profile import NO_STORE, open_ctx_store
from game.text_audit import draw_text
from progress.history import load_history
from progress.patients import Patient, list_patients, save_patient
from progress.plans import plan_in_force, save_plan
from progress.store import StoreError

if TYPE_CHECKING:
    from game.context import SessionContext

ROW_H, ROWS_SHOWN, LIST_X, LIST_W, TOP = 54.0, 9, 40.0, 620.0, 110.0
STATUS_WORDS = {"completed": "", "interrupted": " (cut short)", "in_progress": " (running)"}


class TherapistScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.store = open_ctx_store(ctx)  # None only without a data folder (then: a note)
        self.patients = list_patients(self.store) if self.store is not None else []
        self.focus = 0
        self.editing: dict[str, Any] | None = None  # the form while a patient is open
        self.note = NO_STORE if self.store is None else ""
        self.row_rects: list[tuple[int, pygame.Rect]] = []
        self.summary: tuple[str, list[str]] | None = None  # (title, lines) of the right side
        self._summary_of: int | None = None
        self.refresh_summary()

    # --- rows ----------------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, str]]:
        """(kind, label) pairs: kind says what SELECT and ← → do."""
        if self.editing is None:
            return [("patient", p.name) for p in self.patients] + [
                ("new", "New patient"), ("leave", "Back to the game")
            ]  # fmt: skip
        return form.rows(self.editing)

    def open(self, patient: Patient | None) -> None:
        stored = None
        if patient is not None and self.store is not None:
            stored = plan_in_force(self.store, patient.id)
        self.editing = form.form_for(None if stored is None else stored.plan, patient)
        self.focus, self.note = 0, ""
        self.refresh_summary()

    # --- input ---------------------------------------------------------------------------------
    def handle_text(self, text: str) -> None:
        if self.editing is not None and self.rows()[self.focus][0] == "name":
            self.editing["name"] = (self.editing["name"] + text)[:60]

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        a, n = event.action, len(self.rows())
        kind = self.rows()[self.focus][0]
        if a in (Action.UP, Action.DOWN):
            self.focus = (self.focus + (-1 if a is Action.UP else 1)) % n
            self.refresh_summary()
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
                if ":" in kind or kind in ("side", "age", "neglect", "goal_reps", "minutes"):
                    self.change(kind, -1 if third < 0.5 else 1)
                else:
                    self.select(kind)
                return

    def change(self, kind: str, step: int) -> None:
        if self.editing is not None:
            form.change(self.editing, kind, step)

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
            self.focus = len(self.rows()) - 4 - len(form.BLOCK_ROWS)  # the new block's first row
        elif kind == "drop" and len(f["blocks"]) > 1:
            f["blocks"].pop()
        elif kind == "save":
            self.save()
        elif kind == "cancel":
            self.open_list()
        elif ":" in kind or kind in ("side", "age", "neglect", "goal_reps", "minutes"):
            self.change(kind, 1)

    def save(self) -> None:
        f = self.editing
        assert f is not None
        try:
            if self.store is None:
                raise StoreError(NO_STORE)
            plan = check_plan(form.plan_data(f), "the plan")
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
        self.refresh_summary()

    def leave(self) -> None:
        self.ctx.scenes.go("menu")

    # --- what the right side shows (read on a change, never while drawing) --------------------
    def focused_patient(self) -> Patient | None:
        if self.editing is None and self.focus < len(self.patients):
            return self.patients[self.focus]
        if self.editing is not None and self.editing["id"] is not None:
            return next((p for p in self.patients if p.id == self.editing["id"]), None)
        return None

    def refresh_summary(self) -> None:
        patient = self.focused_patient()
        key = None if patient is None else patient.id
        if key == self._summary_of and self.summary is not None:
            return
        self._summary_of = key
        self.summary = None if patient is None else self.read_summary(patient)

    def read_summary(self, patient: Patient) -> tuple[str, list[str]] | None:
        if self.store is None:
            return None
        history = load_history(self.store, patient.id, self.store.now().date())
        lines = []
        sore = history.sore_days()
        if sore:  # first: pain is what a therapist must not miss
            days = ", ".join(f"{d:%d %b}" for d in sore[-3:])
            lines.append(f"! Sore reported: {days}")
        for s in history.sessions[-4:]:
            feeling = history.feeling_of(s.id)
            felt = f", felt {feeling}" if feeling else ""
            lines.append(f"{s.local_date:%d %b}: {form._plural(s.reps, 'rep')}"
                         f"{STATUS_WORDS.get(s.status, '')}{felt}")  # fmt: skip
        if not history.sessions:
            lines.append("No sessions yet.")
        stored = plan_in_force(self.store, patient.id)
        if stored is not None:
            today = stored.today
            lines.append(f"Plan: {today.planned_reps} reps a session (goal {today.goal_reps})")
            for b in today.blocks[:2]:
                name = get_exercise(b.exercise).name
                lines.append(f"{name}: {b.sets} × {b.reps}, "
                             f"target {b.target_range_deg:g}{form.unit(b.exercise)}")  # fmt: skip
        return f"Last sessions of {patient.name}", lines

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
        self.draw_scroll_signs(surface, first, len(rows))
        self.draw_summary(surface)
        if self.note:
            widgets.paragraph(surface, theme, self.note, theme.hint(), (LIST_X, 600), 1200,
                              pal.text)  # fmt: skip
        widgets.stop_hint(surface, theme, "Esc: back")
        widgets.key_hint(surface, theme, "Left/Right change, SPACE chooses, or the mouse")

    def draw_scroll_signs(self, surface: pygame.Surface, first: int, count: int) -> None:
        """Arrows drawn beside the list when rows are hidden above or below, with the count."""
        theme, pal = self.ctx.theme, self.ctx.theme.palette
        x = LIST_X + LIST_W + 16
        for hidden, y, up in (
            (first, TOP + 4, True),
            (count - first - ROWS_SHOWN, TOP + ROWS_SHOWN * ROW_H - 40, False),
        ):
            if hidden <= 0:
                continue
            cx, tip = theme.x(x), theme.px(y + (0 if up else 28))
            base = theme.px(y + (28 if up else 0))
            pts = [(cx - theme.px(12), base), (cx, tip), (cx + theme.px(12), base)]
            pygame.draw.polygon(surface, pal.text, pts)  # fmt: skip

    def draw_summary(self, surface: pygame.Surface) -> None:
        """The focused patient's sessions and plan, on the right (read in `refresh_summary`)."""
        if self.summary is None:
            return
        theme, pal = self.ctx.theme, self.ctx.theme.palette
        title, lines = self.summary
        x, y = 700.0, TOP
        widgets.text(surface, theme, title, theme.font(32, True), (x, y))
        for i, line in enumerate(lines[:9]):
            color = pal.accent if line.startswith("!") else pal.text
            widgets.text(surface, theme, line, theme.hint(), (x, y + 48 + 44 * i), color)
