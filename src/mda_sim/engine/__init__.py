"""The discrete-event core: specs built into a live world on simpy, run to an event log."""
