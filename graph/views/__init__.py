"""Pictures of the graph: choosing what to show (:mod:`.select`), drawing it
(:mod:`.draw`), the offline HTML page (:mod:`.page`), the entry points (:mod:`.build`) and
plain-text renderings for the terminal (:mod:`.text`)."""
