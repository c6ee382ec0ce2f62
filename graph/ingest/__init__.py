"""Facts from analysts' YAML and CSV files: the layout (:mod:`.layout`), reading with file
and line (:mod:`.records`), conversion to sourced quads (:mod:`.convert`) and the
checked, all-or-nothing import (:mod:`.importer`)."""
