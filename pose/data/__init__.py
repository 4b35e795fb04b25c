"""Data: download and extract datasets, read them into one annotation table, crop people, shard samples and test sets."""
