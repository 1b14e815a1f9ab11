"""Events: what a component records about an object, merged as client-go merges them.

Calls run one way, from the recorder down:

- `recorder`: `EventRecorder.record`, the one entry point (the verbs' `record_event`);
- `correlator`: client-go's EventCorrelator, combining similar events and filtering spam;
- `store`: Event bodies, the events about an object, and the index of stored repeats;
- `keys`: what groups events, for all three.
"""
