"""Digital post backends that fail the way real providers do, for the retry tests."""

from meetings.digitalpost import DigitalPostError, FileOutboxBackend


class AnswerLostOnceBackend(FileOutboxBackend):
    """Delivers the first time but the answer is lost (a timeout after delivery): the task
    cannot know the letter arrived and must retry without delivering it twice."""

    calls = 0

    def send(self, **letter: object) -> str:
        type(self).calls += 1
        reference = super().send(**letter)
        if type(self).calls == 1:
            raise DigitalPostError("timeout waiting for the provider's answer")
        return reference


class AlwaysDownBackend(FileOutboxBackend):
    def send(self, **letter: object) -> str:
        raise DigitalPostError("provider unavailable")
