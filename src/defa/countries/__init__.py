"""National profiles: one package per member state, named by its lower-case alpha-2 code.

Each package's docstring names the country; each module inside it is a capability
(``ids``, ``einvoice``, ``qr``, ...). See :mod:`defa.registry`.
"""
