"""The citizen's copy of their data (GDPR Art. 15) as plain, machine-readable values. The CPR
number is left out on purpose: the citizen knows it, and a downloaded file travels."""

from typing import Any


def _organisation(organisation: Any) -> str | None:
    return organisation.name if organisation is not None else None


def citizen_data_as_json(data: dict[str, Any]) -> dict[str, Any]:
    citizen = data["citizen"]
    plan = data["plan"]
    return {
        "person": {
            "given_name": citizen.given_name,
            "family_name": citizen.family_name,
            "birth_date": citizen.birth_date,
            "preferred_language": citizen.preferred_language,
            "needs_interpreter": citizen.needs_interpreter,
        },
        "organisations": [
            {
                "organisation": _organisation(affiliation.organisation),
                "kind": affiliation.kind,
                "from": affiliation.started_on,
                "until": affiliation.ended_on,
            }
            for affiliation in data["affiliations"]
        ],
        "contact_details": [
            {
                "recorded_by": _organisation(details.organisation),
                "phone": details.phone,
                "email": details.email,
                "address": details.address,
                "postal_code": details.postal_code,
                "city": details.city,
            }
            for details in data["contact_details"]
        ],
        "consents": [
            {
                "between": sorted(org.name for org in consent.organisations.all()),
                "categories": sorted(category.label for category in consent.categories.all()),
                "given_on": consent.given_on,
                "valid_from": consent.valid_from,
                "valid_until": consent.valid_until,
                "withdrawn_at": consent.withdrawn_at,
                "text_version": consent.text.version,
            }
            for consent in data["consents"]
        ],
        "shared_plan": None
        if plan is None
        else {
            "kept_by": _organisation(plan.organisation),
            "work_goal": plan.work_goal,
            "life_goals": plan.life_goals,
            "challenges": plan.challenges,
            "next_review_on": plan.next_review_on,
            "actions": [
                {
                    "action": action.description,
                    "responsible": str(action.responsible) if action.responsible else None,
                    "organisation": _organisation(action.responsible_organisation),
                    "deadline": action.deadline,
                    "status": action.status,
                }
                for action in plan.actions.all()
            ],
            "my_entries": [
                {"kind": entry.kind, "text": entry.text, "written_at": entry.created_at}
                for entry in plan.citizen_entries.all()
            ],
        },
        "ips_courses": [
            {
                "job_centre": _organisation(course.organisation),
                "start_date": course.start_date,
                "ended_on": course.ended_on,
                "phase": course.phase,
                "consultant": str(course.consultant) if course.consultant else None,
                "target_group": course.target_group.name if course.target_group else None,
                "benefit_at_start": course.benefit_at_start.name
                if course.benefit_at_start
                else None,
                "benefits_counselling": [
                    {"on": counselling.counselled_on, "advice": counselling.advice}
                    for counselling in course.benefits_counselling.all()
                ],
                "jobs_and_education": [
                    {
                        "type": episode.type.name,
                        "started_on": episode.started_on,
                        "ended_on": episode.ended_on,
                    }
                    for episode in course.episodes.all()
                ],
            }
            for course in data["courses"]
        ],
        "treatment_periods": [
            {
                "unit": f"{period.unit.organisation.name}, {period.unit.name}",
                "started_on": period.started_on,
                "ended_on": period.ended_on,
            }
            for period in data["treatment_periods"]
        ],
        "relatives_and_network": [
            {
                "name": member.name,
                "relation": member.relation,
                "phone": member.phone,
                "email": member.email,
                "involved_in": member.involvement,
                "recorded_by": _organisation(member.organisation),
            }
            for member in data["network"]
        ],
        "meetings": [
            {
                "meeting": meeting.occurrence.series.title,
                "starts_at": meeting.occurrence.starts_at,
                "the_situation_now": meeting.case.situation,
                "your_wishes": meeting.case.wishes,
                "next_steps": meeting.case.next_steps,
                "letters": [
                    {"subject": letter.subject, "sent_at": letter.sent_at}
                    for letter in meeting.letters
                ],
            }
            for meeting in data["meetings"]
        ],
    }
