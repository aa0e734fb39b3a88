"""Pure business rules: money, pricing and the order state machine; no I/O."""
