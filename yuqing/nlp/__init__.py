"""NLP: one tokenizer, sentiment/topic/risk classifiers, keywords, reposts and events."""
