"""SPARQL for people and scripts: the named library (:mod:`.library`), typed parameters
(:mod:`.params`), the safety gate (:mod:`.safety` on the tokens of :mod:`.lexer`), and running within a time limit with
the W3C result formats (:mod:`.run`)."""
