"""Redshift SQL -> the SQL of the engine behind the local endpoint."""
