"""The outcome definitions of docs/domain.md, exactly, with no database: the follow-up window, the
success and retention rules, the Wilson interval and the verdicts. Everything that reports a
rate uses these functions."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from cases.windows import OUTCOME_MONTHS as FOLLOW_UP_MONTHS
from cases.windows import RETENTION_MONTHS

IPS_BENCHMARK = 0.599  # Projekt Inklusion, IPS group, 18 months
ORDINARY_SERVICES_BENCHMARK = 0.465  # Projekt Inklusion, ordinary job-centre services
RETENTION_GOAL = 0.80  # Aalborg: still in job or education 4 months after the end
EXPERIENCE_GOAL = 0.85  # Aalborg: citizens find the course meaningful and coherent
POINT_IN_TIME_GOAL = 0.60  # Aalborg: of the citizens in a course on a day, in job or education
COMPETITIVE_EMPLOYMENT_BANDS = (
    0.31,
    0.41,
    0.50,
)  # IPS Learning Community: minimal, average, excellent
TOO_FEW = 20
Z_95 = 1.959963984540054

ABOVE, ON_PAR, BELOW, TOO_FEW_VERDICT = "above", "on_par", "below", "too_few"


@dataclass(frozen=True)
class Span:
    """A job or education episode as the rules see it."""

    started_on: datetime.date
    ended_on: datetime.date | None
    ordinary: bool
    graded: bool
    competitive: bool = False  # ordinary employment (not education)

    def running_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)

    def overlaps(self, first: datetime.date, last: datetime.date) -> bool:
        return self.started_on <= last and (self.ended_on is None or self.ended_on >= first)


def in_work_or_education_on(spans: Iterable[Span], day: datetime.date) -> bool:
    """Ordinary work or education running on the day (Aalborg's point-in-time goal)."""
    return any(span.ordinary and span.running_on(day) for span in spans)


def window_end(start: datetime.date) -> datetime.date:
    """18 months after the start: the same day of the month, or the month's last day when that
    month is shorter (31 August -> the last day of February)."""
    return start + relativedelta(months=FOLLOW_UP_MONTHS)


@dataclass(frozen=True)
class CourseOutcome:
    eligible: bool  # the window has ended on the report date
    provisional: bool  # still inside its window
    succeeded: bool  # ordinary work or education overlapping the window (so far, if provisional)
    graded: bool  # graded attachment overlapping the window; never counted as ordinary


def course_outcome(
    *, start: datetime.date, spans: Iterable[Span], as_of: datetime.date
) -> CourseOutcome | None:
    """None for a course that starts after the report date. An episode counts when it started
    before or during the window and had not ended before the course started."""
    if start > as_of:
        return None
    last = window_end(start)
    eligible = last <= as_of
    known_until = last if eligible else as_of
    spans = [span for span in spans if span.overlaps(start, known_until)]
    return CourseOutcome(
        eligible=eligible,
        provisional=not eligible,
        succeeded=any(span.ordinary for span in spans),
        graded=any(span.graded for span in spans),
    )


@dataclass(frozen=True)
class RetentionOutcome:
    eligible: bool
    retained: bool


def retention_outcome(
    *, ended_on: datetime.date | None, spans: Iterable[Span], as_of: datetime.date
) -> RetentionOutcome | None:
    """Only a course that ended while the citizen was in ordinary work or education counts;
    it is retained when the citizen is in ordinary work or education 4 months after the end.
    None when the course does not count (yet)."""
    if ended_on is None or ended_on > as_of:
        return None
    ordinary = [span for span in spans if span.ordinary]
    if not any(span.running_on(ended_on) for span in ordinary):
        return None
    check_day = ended_on + relativedelta(months=RETENTION_MONTHS)
    if check_day > as_of:
        return None
    return RetentionOutcome(
        eligible=True, retained=any(span.running_on(check_day) for span in ordinary)
    )


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion; None without observations."""
    if total == 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def verdict(total: int, interval: tuple[float, float] | None, benchmark: float) -> str:
    """Above or below only when the interval excludes the benchmark; too few under 20."""
    if total < TOO_FEW or interval is None:
        return TOO_FEW_VERDICT
    low, high = interval
    if low > benchmark:
        return ABOVE
    if high < benchmark:
        return BELOW
    return ON_PAR


@dataclass(frozen=True)
class Rate:
    """A rate with its interval and verdict: the shape every report and the dashboard use."""

    eligible: int
    succeeded: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    verdict: str
    benchmark: float

    @classmethod
    def of(cls, succeeded: int, eligible: int, *, benchmark: float) -> "Rate":
        interval = wilson_interval(succeeded, eligible)
        return cls(
            eligible=eligible,
            succeeded=succeeded,
            rate=succeeded / eligible if eligible else None,
            ci_low=interval[0] if interval else None,
            ci_high=interval[1] if interval else None,
            verdict=verdict(eligible, interval, benchmark),
            benchmark=benchmark,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "eligible": self.eligible,
            "succeeded": self.succeeded,
            "rate": self.rate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "verdict": self.verdict,
        }


def competitive_employment_band(rate: float | None) -> str:
    """IPS Learning Community's quarterly bands: below minimal, minimal, average, excellent."""
    if rate is None:
        return TOO_FEW_VERDICT
    minimal, average, excellent = COMPETITIVE_EMPLOYMENT_BANDS
    if rate >= excellent:
        return "excellent"
    if rate >= average:
        return "average"
    if rate >= minimal:
        return "minimal"
    return "below_minimal"


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[datetime.date, datetime.date]:
    year, number = int(quarter[:4]), int(quarter[-1])
    first = datetime.date(year, 3 * number - 2, 1)
    return first, first + relativedelta(months=3, days=-1)
