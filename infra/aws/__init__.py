"""The AWS deployment: a CDK app (``app.py``) with one stack per stage (``stacks/``)."""
