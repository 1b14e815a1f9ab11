"""What every worker shares: actions, the controller protocol and the manager that runs them."""
