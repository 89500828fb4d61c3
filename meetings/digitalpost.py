"""Digital post to the citizen: a pluggable backend, chosen by ``DIGITAL_POST_BACKEND`` the way
Django chooses its email backend.

A backend for a real Digital Post provider subclasses ``BaseBackend`` and implements ``send``:

- ``idempotency_key`` is the same on every retry of one letter; the provider call must use it
  (most providers accept a message id), so that a retry after a lost answer delivers nothing
  twice;
- the recipient is the citizen; read ``citizen.cpr`` only inside ``send`` and never log it;
- return the provider's reference for the delivered letter;
- raise ``DigitalPostError`` for anything that may succeed later (the task retries it).

Configure options through ``DIGITAL_POST_*`` settings read in the backend's ``__init__``.
"""

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from ipsportal.citizens.models import Citizen
from meetings.models import OUTBOX_REFERENCE_PREFIX


class DigitalPostError(Exception):
    """The letter could not be delivered now; trying again may work."""


class BaseBackend:
    def send(self, *, idempotency_key: str, citizen: Citizen, subject: str, pdf: bytes) -> str:
        raise NotImplementedError


class FileOutboxBackend(BaseBackend):
    """Writes each letter as ``<key>.pdf`` with a ``<key>.json`` envelope into
    ``DIGITAL_POST_OUTBOX``: for development, demos, and a region that prints its letters.
    The envelope names the citizen by the portal's id, never by CPR."""

    def __init__(self) -> None:
        self.outbox = Path(settings.DIGITAL_POST_OUTBOX)

    def send(self, *, idempotency_key: str, citizen: Citizen, subject: str, pdf: bytes) -> str:
        envelope = self.outbox / f"{idempotency_key}.json"
        if envelope.exists():  # delivered before; the answer was lost
            return json.loads(envelope.read_text())["reference"]
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            (self.outbox / f"{idempotency_key}.pdf").write_bytes(pdf)
            reference = f"{OUTBOX_REFERENCE_PREFIX}{idempotency_key}"
            partial = envelope.with_suffix(".json.part")
            partial.write_text(
                json.dumps(
                    {
                        "reference": reference,
                        "citizen": str(citizen.uuid),
                        "subject": subject,
                        "delivered_at": timezone.now().isoformat(),
                    },
                    ensure_ascii=False,
                )
            )
            partial.replace(envelope)  # the envelope appears whole or not at all
        except OSError as error:
            raise DigitalPostError(str(error)) from error
        return reference


def backend() -> BaseBackend:
    return import_string(settings.DIGITAL_POST_BACKEND)()
