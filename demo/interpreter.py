"""Which Python the benchmarks ran on, and how it was built. The same pages cost 10 to 25 % less
CPU on a CPython built with profile-guided and link-time optimisation (PGO, LTO), as the
production image's is, than on one built without, as pyenv builds it by default
(docs/benchmarks.md): a timing means little without the build it was measured on."""

import platform
import shlex
import sysconfig

OPTIMISATIONS = {"--enable-optimizations": "PGO", "--with-lto": "LTO"}


def interpreter_build(config_args: str | None = None) -> str:
    """One line naming the interpreter and whether it was built with PGO and LTO.
    ``config_args`` is the interpreter's ``./configure`` arguments (this one's by default)."""
    if config_args is None:
        config_args = sysconfig.get_config_var("CONFIG_ARGS") or ""
    given = {argument.split("=", 1)[0] for argument in shlex.split(config_args)}
    built_with = [name for flag, name in OPTIMISATIONS.items() if flag in given]
    missing = [name for flag, name in OPTIMISATIONS.items() if flag not in given]
    described = f"{platform.python_implementation()} {platform.python_version()}"
    if not missing:
        return f"{described}, built with PGO and LTO, as the production image's is."
    with_part = f"with {built_with[0]} but " if built_with else ""
    return (
        f"{described}, built {with_part}without {' or '.join(missing)}: the production image's "
        "interpreter is built with both and spends 10 to 25 % less CPU on the same pages."
    )
