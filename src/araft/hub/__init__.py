"""Hub publishing: the model card (card.py, card_text.py, licenses.py), the staged folder
(staging.py) and the upload with huggingface_hub (upload.py)."""
