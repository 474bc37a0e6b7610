"""Loading and the model: the YAML loader, the brand model, validation with positions, the JSON Schema."""
