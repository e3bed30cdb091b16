"""Kapstok 1: scheduled check-ins and the five-kapstok barometer."""
