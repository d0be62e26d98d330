"""storybot's front ends over the ``index`` library: command line, Discord bot, offline harness."""
