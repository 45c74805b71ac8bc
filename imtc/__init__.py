"""imtc: reads industrial metrology test center submissions into checked, structured data.

Stages, each importing only earlier ones: extract -> validate -> score_assist.
"""

__version__ = "0.1.0"
