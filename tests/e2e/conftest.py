"""The browser harness lives in ``tests/e2e/harness.py`` and is loaded once, by the root
``tests/conftest.py``, so every journey in the suite shares one browser per test process."""
