"""The version of every JSON contract the tool writes (digest.json, the evaluation report, index.json).

Bumped when a key changes meaning or goes away; new keys do not bump it. Every JSON the tool writes
carries it; ``digest schema`` prints the JSON Schema of each.
"""

SCHEMA_VERSION = "1"
