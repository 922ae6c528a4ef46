"""The hand-labelled domain corpus (worker_posts.csv, repost_pairs.csv); see README.md."""
