def export(model, example_input, out_dir):
    raise NotImplementedError
