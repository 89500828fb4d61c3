"""The scanned consent form: what may be uploaded, and storing it. Reading it goes through the
access policy (consent/access/consents.py: consent_document_get_for_user)."""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from consent.models import Consent, ConsentDocument
from ipsportal.accounts.models import User

# The file's first bytes decide its type, never its name or the browser's word for it.
ACCEPTED_TYPES = {
    "application/pdf": (b"%PDF-", {".pdf"}),
    "image/png": (b"\x89PNG\r\n\x1a\n", {".png"}),
    "image/jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
}


def _detected_type(head: bytes) -> str | None:
    for content_type, (magic, _extensions) in ACCEPTED_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


def _is_whole(content_type: str, data: bytes) -> bool:
    if content_type == "application/pdf":
        return b"%%EOF" in data[-2048:]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def consent_document_check(upload: UploadedFile) -> tuple[str, bytes]:
    """The file's type and content, or a ValidationError that says what is wrong (in the
    user's language). Nothing is stored by this."""
    limit = settings.CONSENT_DOCUMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    data = upload.read(limit + 1)
    content_type = _detected_type(data[:16])
    name = (upload.name or "").lower()
    if content_type is None or not any(
        name.endswith(extension) for extension in ACCEPTED_TYPES[content_type][1]
    ):
        raise ValidationError(
            _("Upload the scanned consent as a PDF, PNG or JPEG file (.pdf, .png, .jpg).")
        )
    if not _is_whole(content_type, data):
        raise ValidationError(_("The file is damaged or incomplete. Scan the consent again."))
    return content_type, data


@transaction.atomic
def consent_document_add(
    *, consent: Consent, upload: UploadedFile, uploaded_by: User
) -> ConsentDocument:
    content_type, data = consent_document_check(upload)
    document = ConsentDocument(
        consent=consent,
        original_name=(upload.name or "samtykke")[-200:],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=uploaded_by,
    )
    document.file.save(str(document.uuid), ContentFile(data), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)  # no file without its row
        raise
    return document
