"""Channel-agnostic exactly-once delivery: rounds, outcomes, and the Channel protocol that a
messenger implements."""
