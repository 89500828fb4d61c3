import datetime

import pytest
from django.utils import timezone


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def course(course_of_fatima):
    """Fatima's course, started 40 days ago."""
    from cases.models import Course

    Course.objects.filter(pk=course_of_fatima.pk).update(start_date=days_ago(40))
    course_of_fatima.refresh_from_db()
    return course_of_fatima
