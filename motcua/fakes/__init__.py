"""Local stand-ins for outside services we cannot reach from here, speaking their real wire formats."""
