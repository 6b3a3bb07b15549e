"""The rep counter and its helpers: samples in, `RepEvent`s out (see detector.py for the pipeline).

Its own room so that the catalogue and the therapy logic beside it (plans, progression) can be
read without it, and it without them; it imports only `devices` sample types, numpy and the
exercise catalogue."""
