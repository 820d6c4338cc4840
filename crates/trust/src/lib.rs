//! Sans-IO caller trust: STIR/SHAKEN, Rich Call Data, reputation and detectors to a Verdict.
