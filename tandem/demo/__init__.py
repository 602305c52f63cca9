"""The demo institution: builders that fill a fresh database with a believable program.

It sits above every domain app (the only package that may import them all) and ships the
``tandem demo`` and ``tandem demo-code`` commands.
"""
