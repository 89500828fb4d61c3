"""The relatives and network the citizen wants involved, recorded by an organisation that has
the citizen, and shared with another only under a consent naming the network."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.forms import ConfirmForm, NetworkMemberForm
from cases.views.citizens import citizen_form_flow
from consent import access
from ipsportal.accounts.requests import StaffRequest
from ipsportal.citizens.models import Citizen, NetworkMember
from ipsportal.citizens.services import network_member_add, network_member_remove
from ipsportal.core.http import submitted_data


def _citizen_for_network(request: StaffRequest, citizen_uuid: str) -> Citizen:
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.NETWORK
    )
    if not access.user_may_record_network(request.user):
        raise Http404
    return citizen


@require_http_methods(["GET", "POST"])
def network_member_create(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen_for_network(request, citizen_uuid)
    organisation = access.acting_organisation(request.user)
    return citizen_form_flow(
        request,
        citizen=citizen,
        section="network-heading",
        title=_("Add a relative or network member"),
        form=NetworkMemberForm(submitted_data(request)),
        save=lambda data: network_member_add(
            citizen=citizen,
            organisation=organisation,
            recorded_by=request.user,
            name=data["name"],
            relation=data["relation"],
            phone=data["phone"],
            email=data["email"],
            involvement=data["involvement"],
            citizen_agrees=data["citizen_agrees"],
        ),
        success=_("The person is added to the citizen's network."),
    )


@require_http_methods(["GET", "POST"])
def network_member_remove_view(
    request: StaffRequest, citizen_uuid: str, member_uuid: str
) -> HttpResponse:
    citizen = _citizen_for_network(request, citizen_uuid)
    member = (
        access.own_organisation_records(
            user=request.user, records=NetworkMember.objects.current().filter(citizen=citizen)
        )
        .filter(uuid=member_uuid)
        .first()
    )
    if member is None:
        raise Http404
    return citizen_form_flow(
        request,
        citizen=citizen,
        section="network-heading",
        title=_("Remove %(name)s from the network?") % {"name": member.name},
        submit_label=_("Remove from the network"),
        form=ConfirmForm(submitted_data(request)),
        save=lambda data: network_member_remove(member=member, removed_by=request.user),
        success=_("%(name)s is no longer part of the citizen's network.") % {"name": member.name},
    )
