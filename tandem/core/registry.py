"""The one shape of Tandem's extension points: a lower app asks, higher apps answer.

An app may not import one above it (the layers in docs/architecture.md). Where a lower app
needs something only a higher one knows — the home page's next steps, the cohort hub's
stages, who has left a program, a person's data, a person's free time — it keeps a
``Registry`` and higher apps register a provider into it from their ``AppConfig.ready()``.
Each registry module keeps its own ``register(...)`` function and its own question
(``next_steps_for``, ``stages_for``, ``departed``, ``sources``, ``hook_answers``).
"""

from __future__ import annotations

from typing import Generic, TypeVar

Provider = TypeVar("Provider")


class Registry(Generic[Provider]):
    """Providers by name: registering a name again replaces its provider (so a test, or an
    app taking a section over, may re-register), and providers answer in registration order."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose
        self._providers: dict[str, Provider] = {}

    def register(self, name: str, provider: Provider) -> None:
        self._providers[name] = provider

    def unregister(self, name: str) -> None:
        self._providers.pop(name, None)

    def providers(self) -> list[Provider]:
        return list(self._providers.values())

    def named(self) -> dict[str, Provider]:
        return dict(self._providers)

    def __repr__(self) -> str:
        return f"<Registry of {self.purpose}: {', '.join(self._providers) or 'empty'}>"
