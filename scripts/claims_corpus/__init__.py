"""The claims/obstacles corpus (data/claims_obstacles): article selection, stories and splits,
annotation passes, agreement, consistency and assembly. See docs/annotation.md."""
