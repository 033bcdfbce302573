"""Field reports API: `reports` (`/api/v1/fieldreports/...`) and `map` (`/api/v1/phan-anh/ban-do`)."""
