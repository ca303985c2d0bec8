"""The generated API clients (clients/typescript, clients/python) and their generator (`python -m clients.generate`)."""
