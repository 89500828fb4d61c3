"""The SQL lower bound of each hot page ``manage.py benchmark`` measures: everything the page
shows, fetched by hand-written SQL alone (the columns shown, the rows the reader may see), so
that "floor + 3 x SQL lower bound + 5 ms" measures the page against its own data.

The floor page already pays for the session, the user and the access log's append; none of
them is repeated here. Who may see what is written by hand too: a citizen is visible to an
organisation with an open affiliation, and another organisation's record is readable under a
consent in force that names both organisations and the record's category (docs/identity.md).
"""

from psycopg import sql

# A citizen (the column ``citizen``) the reader's organisations may see.
_VISIBLE = sql.SQL("""EXISTS (SELECT 1 FROM citizens_affiliation a WHERE a.citizen_id = {citizen}
  AND a.organisation_id = ANY(%(orgs)s) AND (a.ended_on IS NULL OR a.ended_on > CURRENT_DATE))""")


def _visible(citizen: str) -> sql.Composed:
    return _VISIBLE.format(citizen=sql.SQL(citizen))


def _readable(owner: str, category: str, citizen: str) -> sql.Composed:
    """A record of the organisation ``owner`` in ``category`` about ``citizen``: the reader's
    own organisation's, or shared with it by a consent in force."""
    return sql.SQL("""({owner} = ANY(%(orgs)s) OR EXISTS (
  SELECT 1 FROM consent_consent k
  JOIN consent_consent_categories kc ON kc.consent_id = k.id
  JOIN consent_informationcategory ic ON ic.id = kc.informationcategory_id
  JOIN consent_consent_organisations ko ON ko.consent_id = k.id AND ko.organisation_id = {owner}
  JOIN consent_consent_organisations kr ON kr.consent_id = k.id
    AND kr.organisation_id = ANY(%(orgs)s)
  WHERE k.citizen_id = {citizen} AND ic.code = {category} AND k.withdrawn_at IS NULL
    AND k.valid_from <= CURRENT_DATE AND k.valid_until >= CURRENT_DATE))""").format(
        owner=sql.SQL(owner), category=sql.SQL(category), citizen=sql.SQL(citizen)
    )


# What the caseload's rows and the course page's facts show of a course besides its own fields.
_COURSE_FACTS = sql.SQL("""
  (SELECT e.contacted_on FROM cases_employercontact e WHERE e.course_id = c.id
    ORDER BY e.contacted_on LIMIT 1),
  (SELECT s.contacted_on FROM cases_supportcontact s WHERE s.course_id = c.id
    AND s.with_whom IN ('citizen', 'both') AND NOT s.citizen_did_not_come
    ORDER BY s.contacted_on DESC LIMIT 1),
  (SELECT s.next_step || ' ' || coalesce(s.next_step_on::text, '') FROM cases_supportcontact s
    WHERE s.course_id = c.id AND s.next_step <> '' ORDER BY s.contacted_on DESC LIMIT 1),
  (SELECT k.valid_until FROM consent_consent k
    JOIN consent_consent_organisations ko ON ko.consent_id = k.id
    WHERE k.citizen_id = c.citizen_id AND ko.organisation_id = c.organisation_id
      AND k.withdrawn_at IS NULL AND k.valid_from <= CURRENT_DATE
      AND k.valid_until >= CURRENT_DATE ORDER BY k.valid_until DESC LIMIT 1),
  EXISTS (SELECT 1 FROM cases_referral r WHERE r.citizen_id = c.citizen_id
    AND r.status = 'waiting')""")

Statement = str | sql.Composable

CASELOAD_SQL = sql.SQL("""
SELECT c.id, c.uuid, c.start_date, c.phase, z.uuid, z.given_name, z.family_name, z.birth_date,
  {facts}
FROM cases_course c JOIN citizens_citizen z ON z.id = c.citizen_id
WHERE c.consultant_id = %(user)s AND c.ended_on IS NULL
ORDER BY z.family_name, z.given_name, c.id
""").format(facts=_COURSE_FACTS)

VISIBLE_COUNT_SQL = """SELECT count(DISTINCT a.citizen_id) FROM citizens_affiliation a
  WHERE a.organisation_id = ANY(%(orgs)s) AND (a.ended_on IS NULL OR a.ended_on > CURRENT_DATE)"""

# The citizens a coordinator coordinates, with their plans' actions overdue and due soon.
COORDINATED_SQL = sql.SQL("""
SELECT z.uuid, z.given_name, z.family_name, z.birth_date, p.uuid, p.next_review_on,
  (SELECT count(*) FROM cases_planaction a WHERE a.plan_id = p.id
    AND a.status IN ('planned', 'in_progress') AND a.deadline < CURRENT_DATE),
  (SELECT count(*) FROM cases_planaction a WHERE a.plan_id = p.id
    AND a.status IN ('planned', 'in_progress')
    AND a.deadline BETWEEN CURRENT_DATE AND CURRENT_DATE + 14)
FROM cases_coordinatorassignment ca JOIN citizens_citizen z ON z.id = ca.citizen_id
-- Each of the coordinator's citizens probed: as an EXISTS, PostgreSQL hashes every citizen the
-- organisation sees first, which costs more than the whole statement does this way.
CROSS JOIN LATERAL (SELECT 1 FROM citizens_affiliation a WHERE a.citizen_id = z.id
  AND a.organisation_id = ANY(%(orgs)s) AND (a.ended_on IS NULL OR a.ended_on > CURRENT_DATE)
  LIMIT 1) AS visible
LEFT JOIN cases_sharedplan p ON p.citizen_id = z.id AND {plan_readable}
WHERE ca.coordinator_id = %(user)s AND ca.ended_on IS NULL
ORDER BY z.family_name, z.given_name, z.id""").format(
    plan_readable=_readable("p.organisation_id", "'shared_plan'", "z.id")
)

# The start page of a consultant who also coordinates plans: their caseload, and besides it the
# consents about to expire, the count of citizens they may see, the referrals waiting, the
# follow-ups due, the citizens they coordinate with their plans' actions, and the affiliations
# ended lately.
START_SQL: list[Statement] = [
    sql.SQL("""
SELECT k.uuid, k.valid_until, z.uuid, z.given_name, z.family_name, z.birth_date
FROM consent_consent k JOIN citizens_citizen z ON z.id = k.citizen_id
WHERE k.withdrawn_at IS NULL AND k.valid_from <= CURRENT_DATE
  AND k.valid_until >= CURRENT_DATE AND k.valid_until <= CURRENT_DATE + 30 AND {visible}
ORDER BY k.valid_until LIMIT 20""").format(visible=_visible("k.citizen_id")),
    VISIBLE_COUNT_SQL,
    CASELOAD_SQL,
    """SELECT count(*) FROM cases_referral
  WHERE status = 'waiting' AND to_organisation_id = ANY(%(orgs)s)""",
    """SELECT f.uuid, f.kind, f.due_on, c.uuid, z.uuid, z.given_name, z.family_name,
    z.birth_date, u.first_name, u.last_name
  FROM cases_followup f JOIN cases_course c ON c.id = f.course_id
  JOIN citizens_citizen z ON z.id = c.citizen_id
  LEFT JOIN accounts_user u ON u.id = c.consultant_id
  WHERE f.answered_on IS NULL AND f.due_on <= CURRENT_DATE + 14 AND c.consultant_id = %(user)s
  ORDER BY f.due_on LIMIT 50""",
    COORDINATED_SQL,
    """SELECT a.end_reason, count(*) FROM citizens_affiliation a
  WHERE a.organisation_id = ANY(%(orgs)s)
    AND a.ended_on <= CURRENT_DATE AND a.ended_on > CURRENT_DATE - 30
    AND NOT EXISTS (SELECT 1 FROM citizens_affiliation b WHERE b.citizen_id = a.citizen_id
      AND b.organisation_id = a.organisation_id
      AND (b.ended_on IS NULL OR b.ended_on > CURRENT_DATE))
  GROUP BY 1 ORDER BY 1""",
]

# A citizen's timeline, as far as the reader may see it.
TIMELINE_SQL = sql.SQL("""
SELECT t.*, o.name, u.first_name, u.last_name FROM cases_timelineevent t
JOIN accounts_organisation o ON o.id = t.organisation_id
LEFT JOIN accounts_user u ON u.id = t.actor_id
WHERE t.citizen_id = %(citizen)s
  AND t.category IN ('course_events', 'shared_plan', 'meeting_minutes') AND {readable}
ORDER BY t.occurred_on DESC, t.recorded_at DESC, t.id DESC""").format(
    readable=_readable("t.organisation_id", "t.category", "t.citizen_id")
)

# The course page: the course and its facts, the career profile, employer contacts, jobs and
# education, contacts, the timeline as far as the reader may see it, the consultants it has had,
# benefits counselling, treatment periods, target groups, follow-ups, and the continuity box
# (the shared plan's actions, the latest relay note and the coordinators).
COURSE_SQL: list[Statement] = [
    sql.SQL("""
SELECT c.*, z.uuid, z.given_name, z.family_name, z.birth_date, o.name, {facts}
FROM cases_course c JOIN citizens_citizen z ON z.id = c.citizen_id
JOIN accounts_organisation o ON o.id = c.organisation_id
WHERE c.id = %(course)s AND {visible}""").format(
        facts=_COURSE_FACTS, visible=_visible("c.citizen_id")
    ),
    """SELECT p.*, u.first_name, u.last_name FROM cases_careerprofile p
  JOIN accounts_user u ON u.id = p.written_by_id
  WHERE p.course_id = %(course)s ORDER BY p.version DESC""",
    """SELECT e.*, m.name FROM cases_employercontact e
  LEFT JOIN cases_employer m ON m.id = e.employer_id
  WHERE e.course_id = %(course)s ORDER BY e.contacted_on DESC, e.created_at DESC""",
    """SELECT e.*, t.name FROM cases_episode e JOIN cases_episodetype t ON t.id = e.type_id
  WHERE e.course_id = %(course)s ORDER BY e.started_on DESC, e.created_at DESC""",
    """SELECT s.*, u.first_name, u.last_name FROM cases_supportcontact s
  JOIN accounts_user u ON u.id = s.recorded_by_id
  WHERE s.course_id = %(course)s ORDER BY s.contacted_on DESC, s.created_at DESC""",
    TIMELINE_SQL,
    """SELECT a.*, u.first_name, u.last_name, b.first_name, b.last_name
  FROM cases_consultantassignment a JOIN accounts_user u ON u.id = a.consultant_id
  JOIN accounts_user b ON b.id = a.assigned_by_id
  WHERE a.course_id = %(course)s ORDER BY a.assigned_at, a.id""",
    """SELECT * FROM cases_benefitscounselling WHERE course_id = %(course)s
  ORDER BY counselled_on, recorded_at""",
    sql.SQL("""
SELECT t.*, o.name, n.name FROM cases_treatmentperiod t
JOIN accounts_organisation o ON o.id = t.organisation_id
JOIN accounts_unit n ON n.id = t.unit_id
WHERE t.citizen_id = %(citizen)s AND {readable}
ORDER BY t.started_on DESC, t.created_at DESC""").format(
        readable=_readable("t.organisation_id", "'treatment_summary'", "t.citizen_id")
    ),
    """SELECT g.*, f.name, t.name, u.first_name, u.last_name FROM cases_targetgroupchange g
  LEFT JOIN citizens_targetgroup f ON f.id = g.from_group_id
  JOIN citizens_targetgroup t ON t.id = g.to_group_id
  JOIN accounts_user u ON u.id = g.changed_by_id
  WHERE g.course_id = %(course)s ORDER BY g.changed_at, g.id""",
    """SELECT f.*, u.first_name, u.last_name FROM cases_followup f
  LEFT JOIN accounts_user u ON u.id = f.answered_by_id
  WHERE f.course_id = %(course)s ORDER BY f.due_on""",
    sql.SQL("""
SELECT p.id, p.next_review_on, p.last_reviewed_on,
  (SELECT count(*) FROM cases_planaction a WHERE a.plan_id = p.id AND a.status <> 'done'
    AND a.deadline < CURRENT_DATE),
  (SELECT count(*) FROM cases_planaction a WHERE a.plan_id = p.id AND a.status = 'done'
    AND a.completed_on <= a.deadline),
  (SELECT max(v.created_at) FROM cases_planversion v WHERE v.plan_id = p.id)
FROM cases_sharedplan p WHERE p.citizen_id = %(citizen)s AND {readable}""").format(
        readable=_readable("p.organisation_id", "'shared_plan'", "p.citizen_id")
    ),
    sql.SQL("""
SELECT r.*, o.name, u.first_name, u.last_name FROM cases_relaylogentry r
JOIN accounts_organisation o ON o.id = r.organisation_id
JOIN accounts_user u ON u.id = r.author_id
WHERE r.citizen_id = %(citizen)s AND {readable}
ORDER BY r.occurred_on DESC, r.created_at DESC LIMIT 1""").format(
        readable=_readable("r.organisation_id", "'shared_plan'", "r.citizen_id")
    ),
    """SELECT * FROM cases_coordinatorassignment WHERE citizen_id = %(citizen)s
  ORDER BY started_on DESC, id DESC""",
]

# The first page of the citizens one may see, by name.
CITIZENS_PAGE_SQL = sql.SQL("""
SELECT z.uuid, z.given_name, z.family_name, z.birth_date FROM citizens_citizen z
WHERE {visible} ORDER BY z.family_name, z.given_name, z.id LIMIT 25""").format(
    visible=_visible("z.id")
)

# The list of citizens one may see: how many, and the first page of them by name.
CITIZENS_SQL: list[Statement] = [VISIBLE_COUNT_SQL, CITIZENS_PAGE_SQL]

# The access policy's visibility test written by hand, in both searches.
CPR_SQL = sql.SQL("""
SELECT z.* FROM citizens_citizen z WHERE z.cpr_digest = %(digest)s AND {visible}""").format(
    visible=_visible("z.id")
)
NAME_SQL = sql.SQL("""
SELECT z.* FROM citizens_citizen z
WHERE (upper(z.given_name::text) LIKE upper(%(term)s)
  OR upper(z.family_name::text) LIKE upper(%(term)s)) AND {visible}
ORDER BY z.family_name, z.given_name LIMIT 50""").format(visible=_visible("z.id"))
PLAN_SQL: list[Statement] = [
    "SELECT * FROM cases_sharedplan WHERE citizen_id = %(citizen)s",
    """SELECT a.*, u.first_name, u.last_name, o.name FROM cases_planaction a
       JOIN accounts_user u ON u.id = a.responsible_id
       JOIN accounts_organisation o ON o.id = a.responsible_organisation_id
       WHERE a.plan_id = %(plan)s ORDER BY a.priority, a.deadline, a.id""",
    """SELECT v.version, v.change, v.created_at, u.first_name, u.last_name
       FROM cases_planversion v JOIN accounts_user u ON u.id = v.changed_by_id
       WHERE v.plan_id = %(plan)s ORDER BY v.version DESC""",
    """SELECT k.*, u.first_name, u.last_name FROM cases_coordinatorassignment k
       JOIN accounts_user u ON u.id = k.coordinator_id
       WHERE k.citizen_id = %(citizen)s ORDER BY k.started_on DESC""",
    """SELECT r.*, o.name FROM cases_relaylogentry r
       JOIN accounts_organisation o ON o.id = r.organisation_id
       WHERE r.citizen_id = %(citizen)s ORDER BY r.occurred_on DESC""",
]
AGENDA_SQL: list[Statement] = [
    """SELECT m.*, s.title, s.kind, s.place FROM meetings_occurrence m
       JOIN meetings_meetingseries s ON s.id = m.series_id WHERE m.id = %(occurrence)s""",
    "SELECT * FROM meetings_agendaitem WHERE series_id = %(series)s ORDER BY position",
    "SELECT * FROM meetings_participant WHERE occurrence_id = %(occurrence)s ORDER BY name",
    """SELECT d.*, z.given_name, z.family_name FROM meetings_casediscussion d
       JOIN citizens_citizen z ON z.id = d.citizen_id
       WHERE d.occurrence_id = %(occurrence)s ORDER BY d.position""",
]
DASHBOARD_SQL: list[Statement] = [
    "SELECT id, as_of, computed_at FROM reporting_outcomesnapshot ORDER BY as_of DESC LIMIT 1"
]
