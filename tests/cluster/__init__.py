"""Tests of one part of storybot."""
