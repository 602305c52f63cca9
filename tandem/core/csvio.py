"""Where the web app gets its CSV writer: the project's one writer, which defuses formulas.

Every CSV Tandem writes goes through these functions (a test reads the source to make sure no
other module calls ``csv.writer`` or ``csv.DictWriter``).
"""

from tandem.engine.csvio import (
    FORMULA_STARTS,
    SafeDictWriter,
    SafeWriter,
    csv_dict_writer,
    csv_text,
    csv_writer,
    neutralise,
)

__all__ = [
    "FORMULA_STARTS",
    "SafeDictWriter",
    "SafeWriter",
    "csv_dict_writer",
    "csv_text",
    "csv_writer",
    "neutralise",
]
