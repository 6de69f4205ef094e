"""The real-time layer: websockets in, events out. See docs/architecture.md.

consumer.py  one tab: read a frame (protocol.py), call a service, answer
protocol.py  frame parsing, message schemas, the error-code registry
relay.py     one channel-layer subscription per room and process, and its lifecycle
publish.py   committed events to the channel layer
timers.py    deadlines (time limits, automatic next card) acted on when they pass
"""
