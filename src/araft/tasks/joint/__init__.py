"""The joint task: entities and sentence labels from one encoder and one forward pass."""
from araft.tasks.joint.task import JointTask

__all__ = ["JointTask"]
