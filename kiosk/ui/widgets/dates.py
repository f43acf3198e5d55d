"""The date of birth: day and year typed, the month by name, with plus and minus buttons."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets.base import MIN_TARGET, Text, set_role


def month_names(language: str) -> tuple[str, ...]:
    """The twelve month names in ``language``, as they stand alone, with a capital."""
    locale = QLocale(language)
    names = (locale.standaloneMonthName(m, QLocale.FormatType.LongFormat) for m in range(1, 13))
    return tuple(n[:1].upper() + n[1:] for n in names)


class MonthField(QLineEdit):
    """The month by name, read-only: set with the plus and minus buttons beside it.

    A physical keyboard still works: digits type the month's number (1 then 2 is
    December), the arrow keys step, Backspace empties it. ``text()`` is the name shown;
    ``number()`` is the month.
    """

    def __init__(self, months: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months = months
        self._number = 0
        self._typed = ""
        self.setReadOnly(True)

    def number(self) -> int:
        return self._number

    def set_number(self, number: int) -> None:
        self._number = number if 1 <= number <= 12 else 0
        self.setText(self.months[self._number - 1] if self._number else "")

    def clear(self) -> None:
        self._typed = ""
        self.set_number(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and len(text) == 1:
            typed = self._typed + text
            if not 1 <= int(typed) <= 12:
                typed = text
            self._typed = typed if len(typed) < 2 else ""
            self.set_number(int(typed))
            self.textEdited.emit(self.text())
        elif event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if event.key() == Qt.Key.Key_Up else -1
            self.set_number((self._number - 1 + step) % 12 + 1 if self._number else 1)
            self.textEdited.emit(self.text())
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.clear()
            self.textEdited.emit(self.text())
        else:
            super().keyPressEvent(event)


class DateFields(QWidget):
    """Day, month and year, in that order, each a big box between a plus and a minus button.

    Touch alone is enough: the buttons step each part (the month by name, in the
    patient's language), and tapping the day or year box opens the number pad of the
    screen's on-screen keyboard. A physical keyboard types into the boxes as before.
    The steppers take no focus, so Tab goes day, month, year.

    Signals:
        edited(): any of the three changed.
    """

    edited = Signal()

    def __init__(
        self,
        day: str,
        month: str,
        year: str,
        name: str,
        parent: QWidget | None = None,
        *,
        months: tuple[str, ...] = (),
        more: tuple[str, str, str] = ("", "", ""),
        less: tuple[str, str, str] = ("", "", ""),
        start_year: int = 1970,
        latest_year: int = 2100,
    ) -> None:
        super().__init__(parent)
        self.start_year = start_year
        self.latest_year = latest_year
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(28)
        self.day = self._field(day, 2, 31, f"{name}: {day}")
        self.month = MonthField(months or month_names("en"), self)
        self._style(self.month, f"{name}: {month}")
        self.month.textEdited.connect(self._on_text_edited)
        self.year = self._field(year, 4, 2100, f"{name}: {year}")
        self.steppers: list[QPushButton] = []
        self.month.ensurePolished()
        widest_month = max(self.month.fontMetrics().horizontalAdvance(m) for m in self.month.months)
        for index, (label, field, width) in enumerate(
            (
                (day, self.day, 130),
                (month, self.month, max(240, widest_month + 48)),
                (year, self.year, 170),
            )
        ):
            column = QVBoxLayout()
            column.setSpacing(8)
            caption = Text(label, "label")
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            caption.setBuddy(field)
            column.addWidget(caption)
            plus = self._stepper("+", more[index] or f"{label} +1", field, 1)
            minus = self._stepper("\u2212", less[index] or f"{label} \u22121", field, -1)
            for part in (plus, field, minus):
                part.setFixedWidth(width)
            column.addWidget(plus)
            column.addWidget(field)
            column.addWidget(minus)
            layout.addLayout(column)
        layout.addStretch(1)

    def _style(self, field: QLineEdit, name: str) -> None:
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        field.setAccessibleName(name)
        field.setMinimumHeight(MIN_TARGET + 8)
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        set_role(field, "field")

    def _field(self, placeholder: str, length: int, high: int, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setMaxLength(length)
        field.setValidator(QIntValidator(0, high, field))
        field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self._style(field, name)
        field.textEdited.connect(self._on_text_edited)
        return field

    def _stepper(self, sign: str, name: str, field: QLineEdit, step: int) -> QPushButton:
        button = QPushButton(sign, self)
        set_role(button, "stepper")
        button.setAccessibleName(name)
        button.setObjectName("more" if step > 0 else "less")
        button.setMinimumSize(QSize(MIN_TARGET + 8, MIN_TARGET + 8))
        # The boxes keep the focus (and a physical keyboard's typing) while these are tapped.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda _=False: self._step(field, step))
        self.steppers.append(button)
        return button

    def _step(self, field: QLineEdit, step: int) -> None:
        if isinstance(field, MonthField):
            now = field.number()
            field.set_number((now - 1 + step) % 12 + 1 if now else (1 if step > 0 else 12))
        elif field is self.day:
            now = int(field.text() or 0)
            field.setText(str((now - 1 + step) % 31 + 1 if now else (1 if step > 0 else 31)))
        else:
            now = int(field.text() or 0)
            if not now:
                value = self.start_year
            else:
                value = min(max(now + step, 1900), max(self.latest_year, 1900))
            field.setText(str(value))
        self.edited.emit()

    def _on_text_edited(self, _text: str) -> None:
        self.edited.emit()

    def text_fields(self) -> tuple[QLineEdit, QLineEdit]:
        """The boxes typed into (day and year); the month is set by its buttons."""
        return self.day, self.year

    def values(self) -> tuple[str, str, str]:
        month = self.month.number()
        return self.day.text(), str(month) if month else "", self.year.text()

    def set_values(self, day: str, month: str, year: str) -> None:
        self.day.setText(day)
        self.month.set_number(int(month) if month.isdigit() else 0)
        self.year.setText(year)
