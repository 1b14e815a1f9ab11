"""One module per verb family; bodies are short: parse, call the client, print."""
