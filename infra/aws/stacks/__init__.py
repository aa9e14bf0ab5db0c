"""The portal's CDK stack and the constructs it is made of."""

from .portal import PortalStack
from .settings import StageSettings

__all__ = ["PortalStack", "StageSettings"]
