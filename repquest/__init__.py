"""RepQuest's command line as an installable package: `repquest …` or `python -m repquest …`.

The commands live in `repquest.cli`, the parser in `repquest.cli_args`. Nothing below this package
(devices, exercises, progress, game) imports it.
"""
