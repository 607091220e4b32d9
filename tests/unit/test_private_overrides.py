"""Issue 11, item 8 (6 of the brief): a class of miniapp_api that overrides a private member of
a library class (flask-smorest, webargs, marshmallow) says why, with a `PRIVATE HOOK` comment just
above it; where the library has a public hook, that is used instead (webargs' load_json,
functools.wraps for flask-smorest's docs)."""
import importlib
import inspect
import pkgutil

import miniapp_api

# Private names a library documents as the way to extend it: marshmallow's custom-field
# methods ("Creating a field class" in its docs).
DOCUMENTED = {"_serialize", "_deserialize"}


def _modules():
    yield miniapp_api
    for info in pkgutil.iter_modules(miniapp_api.__path__):
        yield importlib.import_module(f"miniapp_api.{info.name}")


def _classes():
    for module in _modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                yield cls


def _private_overrides(cls):
    for name, member in vars(cls).items():
        if not name.startswith("_") or name.startswith("__") or name in DOCUMENTED:
            continue
        if not inspect.isfunction(member):  # marshmallow's and abc's own bookkeeping
            continue
        if any(name in vars(base) for base in cls.__mro__[1:]
               if not base.__module__.startswith("miniapp_api")):
            yield name, member


def test_each_private_override_of_a_library_says_why():
    silent = []
    for cls in _classes():
        for name, member in _private_overrides(cls):
            lines, _ = inspect.getsourcelines(member)
            source, start = inspect.getsourcelines(cls)
            above = "".join(source[:max(0, source.index(lines[0]))][-6:])
            if "PRIVATE HOOK" not in above:
                silent.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert not silent, silent


def test_the_overrides_left_are_the_known_ones():
    found = {f"{cls.__qualname__}.{name}" for cls in _classes()
             for name, _ in _private_overrides(cls)}
    assert found == {"LianxinApi._register_error_handlers",
                     "LianxinApi._register_pagination_header",
                     "Blueprint._set_pagination_metadata"}


def test_no_view_sets_flask_smorests_private_apidoc():
    for module in _modules():
        assert "._apidoc" not in inspect.getsource(module), module.__name__
