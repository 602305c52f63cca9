from tests.workspace.conftest import signed

__all__ = ["signed"]
