"""Motion sources: pucks, the keyboard simulator and recordings, all behind one `Source` contract.

This layer imports neither `exercises` nor `game`: it turns bytes (or keys) into `SampleBlock`s.
"""

from devices.samples import SampleBlock
from devices.source import Source, SourceInfo, SourceState, SourceStatus

__all__ = ["SampleBlock", "Source", "SourceInfo", "SourceState", "SourceStatus"]
