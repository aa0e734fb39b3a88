"""Writers that turn store data into files for other tools."""
