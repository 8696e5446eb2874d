"""One module per task: label space, records from articles, decoding."""
