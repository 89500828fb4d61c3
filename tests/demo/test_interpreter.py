"""The benchmarks name the interpreter's build: the same pages cost 10 to 25 % less CPU on a
CPython built with PGO and LTO than on one built without."""

import platform

import pytest

from demo.interpreter import interpreter_build

PYENV = "'--prefix=/root/.pyenv/versions/3.12.1' '--enable-shared' 'CPPFLAGS=-I/x/include'"
OFFICIAL_IMAGE = (
    "'--build=x86_64-linux-gnu' '--enable-loadable-sqlite-extensions' "
    "'--enable-optimizations' '--enable-option-checking=fatal' '--enable-shared' '--with-lto'"
)


@pytest.mark.parametrize(
    ("config_args", "expected"),
    [
        (OFFICIAL_IMAGE, "built with PGO and LTO, as the production image's is."),
        (PYENV, "built without PGO or LTO: the production image's interpreter is built with both"),
        ("--enable-optimizations", "built with PGO but without LTO:"),
        ("--with-lto=full", "built with LTO but without PGO:"),
        ("", "built without PGO or LTO:"),
    ],
)
def test_the_build_is_named_from_the_configure_arguments(config_args, expected):
    described = interpreter_build(config_args)
    assert described.startswith(f"CPython {platform.python_version()}, ")
    assert expected in described


def test_a_flag_inside_another_argument_does_not_count():
    # CFLAGS that merely mention LTO are not a build with --with-lto.
    assert "without PGO or LTO" in interpreter_build("'CFLAGS=-O2 --with-lto' '--enable-shared'")
