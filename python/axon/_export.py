"""axon.export: not built yet (docs/training.md, "Not built yet")."""
from ._errors import AxonError


def export(model, example_input, out_dir):
    """Export MODEL's inference kernels, weights and a C predictor to OUT_DIR: not built yet."""
    raise AxonError("axon.export is not built yet: the inference program runs through "
                    "axon_runtime from Python only (docs/training.md)")
