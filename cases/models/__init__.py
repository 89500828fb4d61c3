"""The cases app's models, by topic; import them from here."""

from cases.models.benefits import BenefitsCounselling, BenefitType, BenefitTypeQuerySet
from cases.models.courses import (
    CareerProfile,
    ConsultantAssignment,
    ContactMode,
    ContactWith,
    Course,
    CourseEndReason,
    CourseEvaluation,
    CoursePhase,
    CourseQuerySet,
    Disclosure,
    EmployerContact,
    EmployerContactOutcome,
    FollowUp,
    SupportContact,
    SupportContactQuerySet,
    TargetGroupChange,
)
from cases.models.employers import Employer, EmployerContactPerson
from cases.models.episodes import (
    Episode,
    EpisodeEndReason,
    EpisodeKind,
    EpisodeType,
    EpisodeTypeQuerySet,
)
from cases.models.plans import (
    ActionStatus,
    CitizenPlanEntry,
    CoordinatorAssignment,
    PlanAction,
    PlanVersion,
    RelayLogEntry,
    SharedPlan,
    actions_counted_per_plan,
)
from cases.models.referrals import (
    DeclineReason,
    Referral,
    ReferralStatus,
)
from cases.models.summaries import (
    TreatmentPeriod,
    TreatmentSummary,
)
from cases.models.timeline import (
    EventKind,
    TimelineEvent,
)

__all__ = [
    "ActionStatus",
    "BenefitType",
    "BenefitTypeQuerySet",
    "BenefitsCounselling",
    "CareerProfile",
    "CitizenPlanEntry",
    "ConsultantAssignment",
    "ContactMode",
    "ContactWith",
    "CoordinatorAssignment",
    "Course",
    "CourseEndReason",
    "CourseEvaluation",
    "CoursePhase",
    "CourseQuerySet",
    "DeclineReason",
    "Disclosure",
    "Employer",
    "EmployerContact",
    "EmployerContactOutcome",
    "EmployerContactPerson",
    "Episode",
    "EpisodeEndReason",
    "EpisodeKind",
    "EpisodeType",
    "EpisodeTypeQuerySet",
    "EventKind",
    "FollowUp",
    "PlanAction",
    "PlanVersion",
    "Referral",
    "ReferralStatus",
    "RelayLogEntry",
    "SharedPlan",
    "SupportContact",
    "SupportContactQuerySet",
    "TargetGroupChange",
    "TimelineEvent",
    "TreatmentPeriod",
    "TreatmentSummary",
    "actions_counted_per_plan",
]
