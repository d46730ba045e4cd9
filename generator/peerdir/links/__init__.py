"""The link checker behind ``peerdir check-links``.

Data flows one way: ``collect`` (every external address and every place it is written)
-> ``config`` (what maintainers excluded or accepted) -> ``check`` (the network) ->
``classify`` (one run's verdict) -> ``cache`` (memory across runs, the two-run rule) ->
``report``. ``run`` wires them together for the command line.
"""
