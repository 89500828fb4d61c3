from django.conf import settings
from django.http import HttpRequest

from ipsportal.core.middleware import on_citizen_side


def languages_offered(request: HttpRequest) -> dict[str, object]:
    """The language switch's choices, named in their own language: the citizen's pages offer
    more (ChosenLanguageMiddleware decides which are honoured where)."""
    if on_citizen_side(request):
        return {"languages_offered": settings.CITIZEN_LANGUAGES}
    staff = dict(settings.LANGUAGES)
    return {
        "languages_offered": [
            (code, name) for code, name in settings.CITIZEN_LANGUAGES if code in staff
        ]
    }
