"""peerdir: the pure-Python core of the peer-support directory.

Files flow one way: YAML records are loaded with their positions (``yamlfile``),
checked against the JSON Schema (``schema``) and the rules a schema cannot say
(``checks``), turned into typed records (``records``), then rendered into Markdown
pages (``render``) that ``output`` writes into the docs folder. Nothing here imports
MkDocs, so any builder that reads ``mkdocs.yml`` builds the same site.
"""
