"""Kubernetes-shaped helpers over plain dict objects: constants, metadata, selectors, revisions.

Objects are the Kubernetes JSON itself (`apiVersion`, `kind`, `metadata`, `spec`, `status`),
stored and printed as they are; these modules give names to the fields controllers read.
"""
