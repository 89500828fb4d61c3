from django.urls import path

from cases.views import (
    caseload,
    citizens,
    courses,
    employers,
    network,
    plans,
    referrals,
    treatment,
)

app_name = "cases"


course = "forloeb/<uuid:course_uuid>/"
plan = "borgere/<uuid:citizen_uuid>/plan/"

urlpatterns = [
    path("borgere/", citizens.citizen_list, name="citizen_list"),
    path("borgere/opret/", citizens.citizen_register_view, name="citizen_register"),
    path("borgere/<uuid:citizen_uuid>/", citizens.citizen_detail, name="citizen_detail"),
    path("borgere/<uuid:citizen_uuid>/ret/", citizens.citizen_edit, name="citizen_edit"),
    path(
        "borgere/<uuid:citizen_uuid>/afslut-tilknytning/",
        citizens.affiliation_end_view,
        name="affiliation_end",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/vis-cpr/",
        citizens.citizen_reveal_cpr,
        name="citizen_reveal_cpr",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/behandlingsresume/nyt/",
        citizens.treatment_summary_create,
        name="treatment_summary_create",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/netvaerk/ny/",
        network.network_member_create,
        name="network_member_create",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/netvaerk/<uuid:member_uuid>/fjern/",
        network.network_member_remove_view,
        name="network_member_remove",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/behandling/ny/",
        treatment.treatment_period_create,
        name="treatment_period_create",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/behandling/<uuid:period_uuid>/afslut/",
        treatment.treatment_period_end,
        name="treatment_period_end",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/ips-forloeb/nyt/",
        referrals.course_start_view,
        name="course_start",
    ),
    path(
        "borgere/<uuid:citizen_uuid>/henvis/",
        referrals.referral_create_view,
        name="referral_create",
    ),
    path(plan, plans.plan_detail, name="plan"),
    path(f"{plan}ny/", plans.plan_create, name="plan_create"),
    path(f"{plan}rediger/", plans.plan_edit, name="plan_edit"),
    path(f"{plan}handlinger/ny/", plans.plan_action_add, name="plan_action_add"),
    path(
        f"{plan}handlinger/<uuid:action_uuid>/status/",
        plans.plan_action_status,
        name="plan_action_status",
    ),
    path(f"{plan}versioner/", plans.plan_compare, name="plan_compare"),
    path(f"{plan}pdf/", plans.plan_pdf, name="plan_pdf"),
    path("borgere/<uuid:citizen_uuid>/tovholder/", plans.coordinator_change, name="coordinator"),
    path("borgere/<uuid:citizen_uuid>/stafetlog/ny/", plans.relay_entry_add, name="relay_add"),
    path("arbejdsgivere/", employers.employer_list, name="employer_list"),
    path("arbejdsgivere/<uuid:employer_uuid>/", employers.employer_detail, name="employer_detail"),
    path(
        "arbejdsgivere/<uuid:employer_uuid>/kontaktpersoner/ny/",
        employers.contact_person_add,
        name="employer_contact_person_add",
    ),
    path("henvisninger/", referrals.referral_list, name="referral_list"),
    path("henvisninger/<uuid:referral_uuid>/", referrals.referral_detail, name="referral_detail"),
    path(course, courses.course_detail, name="course_detail"),
    path(f"{course}karriereprofil/", courses.career_profile_edit, name="career_profile"),
    path(
        f"{course}oekonomisk-raadgivning/",
        courses.benefits_counselling,
        name="benefits_counselling",
    ),
    path(
        f"{course}arbejdsgiverkontakt/ny/",
        courses.employer_contact_create,
        name="employer_contact_create",
    ),
    path(f"{course}job-og-uddannelse/nyt/", courses.episode_create, name="episode_create"),
    path(
        f"{course}job-og-uddannelse/<uuid:episode_uuid>/afslut/",
        courses.episode_end,
        name="episode_end",
    ),
    path(f"{course}kontakt/ny/", courses.support_contact_create, name="contact_create"),
    path(f"{course}fase/", courses.course_phase, name="course_phase"),
    path(f"{course}konsulent/", courses.course_reassign, name="course_reassign"),
    path(f"{course}maalgruppe/", courses.course_target_group, name="course_target_group"),
    path(f"{course}ydelse/", courses.course_benefit_at_start, name="benefit_at_start"),
    path(f"{course}afslut/", courses.course_end, name="course_end"),
    path(
        f"{course}opfoelgning/<uuid:follow_up_uuid>/",
        courses.follow_up_answer,
        name="follow_up_answer",
    ),
    path(
        "sagsstamme/eksport.<export_format:fmt>", caseload.caseload_export, name="caseload_export"
    ),
    path("team/sagsstammer/", caseload.team_caseloads, name="team_caseloads"),
    path(
        "team/sagsstammer/<uuid:user_uuid>/",
        caseload.consultant_caseload,
        name="consultant_caseload",
    ),
]
