"""Running Partnerbase in production: background tasks, the schedule, health checks and logs."""
