"""The outcome rules on small hand-computed cases (docs/domain.md: Outcomes and benchmarks)."""

import datetime

import pytest

from reporting import rules
from reporting.rules import Span

D = datetime.date


def ordinary(start: D, end: D | None = None) -> Span:
    return Span(started_on=start, ended_on=end, ordinary=True, graded=False, competitive=True)


def graded(start: D, end: D | None = None) -> Span:
    return Span(started_on=start, ended_on=end, ordinary=False, graded=True)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2023, 8, 31), D(2025, 2, 28)),  # February 2025 has 28 days
        (D(2022, 8, 31), D(2024, 2, 29)),  # a leap year
        (D(2024, 2, 29), D(2025, 8, 29)),
        (D(2024, 1, 15), D(2025, 7, 15)),
        (D(2023, 7, 31), D(2025, 1, 31)),
    ],
)
def test_the_window_is_18_months_to_the_same_day_or_the_months_last(start, end):
    assert rules.window_end(start) == end


START = D(2023, 8, 31)
WINDOW_END = D(2025, 2, 28)
AS_OF = D(2025, 6, 1)


def outcome(*spans: Span, start: D = START, as_of: D = AS_OF) -> rules.CourseOutcome:
    return rules.course_outcome(start=start, spans=spans, as_of=as_of)


def test_an_episode_starting_on_the_windows_last_day_counts_and_the_day_after_does_not():
    assert outcome(ordinary(WINDOW_END)).succeeded
    assert not outcome(ordinary(WINDOW_END + datetime.timedelta(days=1))).succeeded


def test_an_episode_running_at_the_start_counts_one_ended_the_day_before_does_not():
    assert outcome(ordinary(D(2020, 1, 1))).succeeded
    assert outcome(ordinary(D(2020, 1, 1), START)).succeeded
    assert not outcome(ordinary(D(2020, 1, 1), START - datetime.timedelta(days=1))).succeeded


def test_graded_attachment_is_reported_but_never_counted_as_ordinary():
    result = outcome(graded(D(2024, 1, 1)))
    assert result.graded and not result.succeeded


def test_eligibility_is_the_window_having_ended_on_the_report_date():
    assert outcome(as_of=WINDOW_END).eligible
    inside = outcome(ordinary(D(2024, 1, 1)), as_of=WINDOW_END - datetime.timedelta(days=1))
    assert inside.provisional and not inside.eligible and inside.succeeded
    assert outcome(as_of=START - datetime.timedelta(days=1)) is None


def test_a_citizen_with_two_courses_is_judged_per_course():
    job = ordinary(D(2025, 6, 1), D(2025, 9, 1))
    first = rules.course_outcome(start=D(2022, 1, 10), spans=[job], as_of=D(2026, 1, 1))
    second = rules.course_outcome(start=D(2024, 3, 1), spans=[job], as_of=D(2026, 1, 1))
    assert first.eligible and not first.succeeded  # the job came after its window
    assert second.eligible and second.succeeded


def test_four_month_retention_counts_only_courses_ended_in_ordinary_work():
    ended = D(2025, 1, 31)
    check_day = D(2025, 5, 31)
    assert (
        rules.retention_outcome(ended_on=ended, spans=[graded(D(2024, 1, 1))], as_of=AS_OF) is None
    )
    still = rules.retention_outcome(ended_on=ended, spans=[ordinary(D(2024, 6, 1))], as_of=AS_OF)
    assert still == rules.RetentionOutcome(eligible=True, retained=True)
    lost = rules.retention_outcome(
        ended_on=ended,
        spans=[ordinary(D(2024, 6, 1), check_day - datetime.timedelta(days=1))],
        as_of=AS_OF,
    )
    assert lost == rules.RetentionOutcome(eligible=True, retained=False)
    too_early = rules.retention_outcome(
        ended_on=ended,
        spans=[ordinary(D(2024, 6, 1))],
        as_of=check_day - datetime.timedelta(days=1),
    )
    assert too_early is None


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    [
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998), Statistics in Medicine 17:857
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_intervals_match_known_values(successes, total, low, high):
    interval = rules.wilson_interval(successes, total)
    assert interval == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_no_observations_has_no_interval():
    assert rules.wilson_interval(0, 0) is None
    assert rules.Rate.of(0, 0, benchmark=rules.IPS_BENCHMARK).rate is None


@pytest.mark.parametrize(
    ("succeeded", "eligible", "expected"),
    [
        (19, 19, "too_few"),  # even 100 % of 19 is too few
        (80, 100, "above"),  # 0.71 to 0.87 excludes 0.599
        (60, 100, "on_par"),  # 0.50 to 0.69 includes 0.599
        (40, 100, "below"),  # 0.31 to 0.50 excludes it
        (16, 20, "on_par"),  # 80 %, but 0.584 to 0.919 still includes 0.599
    ],
)
def test_each_verdict_and_the_too_few_rule(succeeded, eligible, expected):
    assert rules.Rate.of(succeeded, eligible, benchmark=rules.IPS_BENCHMARK).verdict == expected


def test_competitive_employment_bands():
    assert [rules.competitive_employment_band(rate) for rate in (0.2, 0.31, 0.41, 0.5, None)] == [
        "below_minimal",
        "minimal",
        "average",
        "excellent",
        "too_few",
    ]
