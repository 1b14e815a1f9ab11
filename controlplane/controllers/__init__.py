"""Controllers: level-triggered planners that turn observed state into actions."""
