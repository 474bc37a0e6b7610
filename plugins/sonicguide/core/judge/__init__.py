"""Judging a brand once: conformance, disclosure rules, policy, Content Credentials, into a typed report."""
