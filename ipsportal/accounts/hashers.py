"""Password hashing with the parameters OWASP recommends for Argon2id, and not more.

Django's defaults (100 MiB, 8 lanes) make a sign-in cost about a second of CPU on a two-core
server and starve the other requests. OWASP's Password Storage Cheat Sheet gives, as equally
strong alternatives, m=19 MiB, t=2, p=1 among them; a stored hash names its own parameters, so
hashes made with the old ones still verify and are rehashed at the next sign-in."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
