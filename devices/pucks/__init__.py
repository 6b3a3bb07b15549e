"""Real pucks: wire formats, BLE and serial transports, the connection supervisor, scanning.

Layers inside, bottom up: `reading` (what a decoder yields) → `formats`, `framers`, `openpuck`
(pure bytes → readings) → `timing` (readings → host-time `SampleBlock`s) → `supervisor` (state and
patient-readable messages) → `serial_puck`, `ble_puck` (threads and I/O) → `scan`, `memory`.
"""
