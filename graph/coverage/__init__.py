"""What the knowledge base covers: declared scopes checked against their references, and
the tier of every source it rests on."""
