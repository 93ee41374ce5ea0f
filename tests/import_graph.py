"""The one check both import-graph tests use (the students' library, the teacher's tools)."""


def assert_no_cycle(graph: dict[str, set[str]]) -> None:
    """Fail naming the first import cycle in ``graph`` (module -> the modules it imports)."""

    def visit(module, path):
        for imported in sorted(graph.get(module, ())):
            assert imported not in path, f"import cycle: {' -> '.join([*path, imported])}"
            visit(imported, [*path, imported])

    for module in graph:
        visit(module, [module])
