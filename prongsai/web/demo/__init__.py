"""The demo loader (``manage.py load_demo``): the seed agencies with their users and cycle, and N
generated ones for the benchmarks. An app of its own so that the agencies app, which the cycle
app builds on, does not import the cycle through it."""
