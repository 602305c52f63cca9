"""One door convention: pages and API operations reach objects only through a policies door.

Every route that names an object in its address (an id, a slug) must reach one of the app's
``access_*`` doors or another rule of a ``policies.py``, directly or through a helper of its own
module; the doors live only in ``policies.py``; role strings are compared only there. The role
× route matrix (tests/security/matrix.py) checks what each actor gets; these tests check that no
route skips the convention the matrix relies on.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tandem.api import api

PACKAGE = Path(__file__).resolve().parents[2] / "tandem"

# Routes whose address holds a secret rather than an object: the secret is the door, and
# each has its own outsider test (named here).
SECRET_DOORS = {
    # tests/programs/test_programs_and_profiles.py: a wrong or used token shows nothing
    ("tandem.programs.views.participant", "join"),
    ("tandem.programs.views.participant", "invitation"),
    # tests/schedules: the calendar feed answers only its own secret address
    ("tandem.schedules.views", "calendar_feed"),
    # tests/identity: an institution link is confirmed only by the link's own token
    ("tandem.identity.views", "link_confirm"),
}


def _site_routes() -> Iterator[tuple[str, Callable[..., Any]]]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Callable[..., Any]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    yield from walk(get_resolver().url_patterns, "")


def _api_routes() -> Iterator[tuple[str, Callable[..., Any]]]:
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"/api/v1{prefix}{path}", operation.view_func


@functools.cache
def _module_tree(module_name: str) -> ast.Module:
    return ast.parse(inspect.getsource(sys.modules[module_name]))


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _policy_names(tree: ast.Module) -> set[str]:
    """Names this module imports from a policies module, or a policies module itself."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if node.module.endswith(".policies") or alias.name == "policies":
                    names.add(alias.asname or alias.name)
    return names


def _is_door(call: ast.Call, policy_names: set[str]) -> bool:
    target = call.func
    if isinstance(target, ast.Attribute):
        if target.attr.startswith("access_"):
            return True
        return isinstance(target.value, ast.Name) and target.value.id in policy_names
    return isinstance(target, ast.Name) and (
        target.id.startswith("access_") or target.id in policy_names
    )


def reaches_a_door(tree: ast.Module, function_name: str, depth: int = 3) -> bool:
    """Whether the function calls a door, itself or through helpers of its own module."""
    functions = _functions(tree)
    policy_names = _policy_names(tree)
    seen: set[str] = set()
    todo = [(function_name, depth)]
    while todo:
        name, left = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if not isinstance(node, ast.Call):
                continue
            if _is_door(node, policy_names):
                return True
            if isinstance(node.func, ast.Name) and left > 0:
                todo.append((node.func.id, left - 1))
    return False


def _decorator_reaches_a_door(module_name: str, function_name: str) -> bool:
    """Whether one of the view's decorators (``@workspace_page``) opens the door for it."""
    function = _functions(_module_tree(module_name)).get(function_name)
    if function is None:
        return False
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if not isinstance(target, ast.Name):
            continue
        found = vars(sys.modules[module_name]).get(target.id)
        home = getattr(found, "__module__", "")
        if home.startswith("tandem.") and reaches_a_door(_module_tree(home), target.id):
            return True
    return False


def _routes_naming_an_object() -> list[tuple[str, str, str]]:
    routes = []
    for route, callback in [*_site_routes(), *_api_routes()]:
        view = inspect.unwrap(callback)
        module_name = getattr(view, "__module__", "")
        if not module_name.startswith("tandem.") or ("<" not in route and "{" not in route):
            continue
        routes.append((route, module_name, view.__name__))
    return routes


def test_the_door_check_sees_the_routes_that_name_objects() -> None:
    routes = _routes_naming_an_object()
    # Site pages and API operations both: partnerships' pages and the API's workspace.
    assert any(route.startswith("partnerships/<int:partnership_id>/") for route, _, _ in routes)
    assert any(route.startswith("/api/v1") for route, _, _ in routes)
    assert len(routes) > 100
    # Every secret-door exception still names a live route.
    assert {(module, name) for _, module, name in routes} >= SECRET_DOORS


def test_every_route_that_names_an_object_goes_through_a_door() -> None:
    missing = [
        f"{route} ({module}.{name})"
        for route, module, name in _routes_naming_an_object()
        if (module, name) not in SECRET_DOORS
        and not reaches_a_door(_module_tree(module), name)
        and not _decorator_reaches_a_door(module, name)
    ]
    assert missing == []


def test_the_door_check_catches_a_view_that_fetches_by_id_itself() -> None:
    source = (
        "from tandem.workspace import policies\n"
        "from tandem.workspace.models import Note\n\n"
        "def through_helper(request, note_id):\n    return _load(request, note_id)\n\n"
        "def _load(request, note_id):\n    return policies.access_workspace(request.user, 1)\n\n"
        "def straight(request, note_id):\n    return Note.objects.get(pk=note_id)\n"
    )
    tree = ast.parse(source)
    assert reaches_a_door(tree, "through_helper")
    assert not reaches_a_door(tree, "straight")


def test_views_call_doors_from_policies_modules() -> None:
    """``x.access_thing(...)`` in a page or API module: ``x`` is a policies module."""
    wrong = []
    for module_name in sorted({module for _, module, _ in _routes_naming_an_object()}):
        namespace = vars(sys.modules[module_name])
        for node in ast.walk(_module_tree(module_name)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr.startswith("access_")
                and isinstance(node.func.value, ast.Name)
            ):
                owner = getattr(namespace.get(node.func.value.id), "__name__", "")
                if not owner.endswith(".policies"):
                    wrong.append(f"{module_name}:{node.lineno} {node.func.value.id}")
    assert wrong == []


def test_doors_are_defined_only_in_policies() -> None:
    misplaced = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or path.name == "policies.py":
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("access_"):
                misplaced.append(f"{path.relative_to(PACKAGE.parent)}: {node.name}")
    assert misplaced == []


ROLE_WORDS = {"coordinator", "researcher", "participant", "operator"}


def _is_role_value(node: ast.expr) -> bool:
    """A role constant (``ProgramRole.Role.COORDINATOR``), a role word, or a ``.role`` field."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in ROLE_WORDS
    if isinstance(node, ast.Attribute):
        if node.attr == "role":
            return True
        inner = node.value
        return isinstance(inner, ast.Attribute) and inner.attr == "Role"
    return False


def role_comparisons(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            _is_role_value(side) for side in [node.left, *node.comparators]
        ):
            lines.append(node.lineno)
    return lines


def test_role_strings_are_compared_only_in_policies() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        # The matching engine knows no roles (its "coordinator" is a kind of exclusion).
        if {"migrations", "engine"} & set(path.parts) or path.name == "policies.py":
            continue
        for line in role_comparisons(path.read_text()):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    assert found == []


def test_the_role_check_sees_each_way_of_comparing_a_role() -> None:
    assert role_comparisons("x = role == 'coordinator'") == [1]
    assert role_comparisons("\nx = ProgramRole.Role.RESEARCHER in roles") == [2]
    assert role_comparisons("x = invitation.role != other") == [1]
    assert (
        role_comparisons("x = ProgramRole.objects.filter(role=ProgramRole.Role.RESEARCHER)") == []
    )
