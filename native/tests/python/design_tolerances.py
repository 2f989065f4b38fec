"""DESIGN.md §0's error measure and tolerances, for the Python tests (test_ctypes_bindings.py, ../isas_agree.py)."""

# f64: 1e-10 for outputs and 1e-9 for gradients; f32: 1e-4 and 1e-3.
TOLERANCE = {("f64", "output"): 1e-10, ("f64", "gradient"): 1e-9, ("f32", "output"): 1e-4, ("f32", "gradient"): 1e-3}


def error(x, y):
    """e(x, y) = max|x - y| / (1 + max|y|), y the reference. A NaN on one side of a pair makes it infinite; NaNs on
    both sides agree."""
    diff = scale = 0.0
    for a, b in zip(x, y):
        if (a != a) != (b != b):
            return float("inf")
        if a == a:
            diff = max(diff, abs(a - b))
            scale = max(scale, abs(b))
    return diff / (1 + scale)
