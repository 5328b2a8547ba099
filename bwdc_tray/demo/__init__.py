"""Demo support: a simulated bwdc for machines without the real one."""
