"""Tasks: one package per task behind one interface (base.py), chosen by ``_target_`` in
configs/task/*.yaml or by name (registry.py): ner/, claims/."""
