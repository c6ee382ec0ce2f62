"""``techreg serve``: a SPARQL 1.1 endpoint and linked-data pages over any store.

A thin web layer (Starlette on uvicorn, Jinja2 templates with autoescaping) over the
library: :mod:`.protocol` is the SPARQL 1.1 Protocol at ``/sparql``, :mod:`.pages` the
entity, source, search and home pages, :mod:`.questions` the path, exposure, timeline,
query-library and query-editor pages, :mod:`.guard` the security headers, rate limit
and request limits, and :mod:`.app` puts them together and runs the server.
"""
