"""Digital post backends that fail the way real providers do, for the retry tests."""

import time

from meetings.digitalpost import DigitalPostError, FileOutboxBackend


class MailboxProviderBackend(FileOutboxBackend):
    """Answers with a provider's own reference, as a real Digital Post provider does."""

    def send(self, *, idempotency_key: str, **letter: object) -> str:
        super().send(idempotency_key=idempotency_key, **letter)
        return f"dp-{idempotency_key}"


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


class HangsAfterDeliveryOnceBackend(FileOutboxBackend):
    """The first call delivers, then waits for the provider's answer until the worker is killed;
    later calls behave. Every call is written to `calls.log` in the outbox, with whether the
    provider received the letter anew or recognised its idempotency key."""

    def send(self, *, idempotency_key: str, **letter: object) -> str:
        delivered_before = (self.outbox / f"{idempotency_key}.json").exists()
        reference = super().send(idempotency_key=idempotency_key, **letter)
        with (self.outbox / "calls.log").open("a") as log:
            log.write("known\n" if delivered_before else "new\n")
        hung = self.outbox / "hung-once"
        if not hung.exists():
            hung.touch()
            time.sleep(120)  # killed here
        return reference
