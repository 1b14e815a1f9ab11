"""The plugin's test project is run by test_pytest_plugin.py through pytester, not collected."""

collect_ignore = ["project"]
