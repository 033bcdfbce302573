from django.db import models


class MapCellCounts(models.Model):
    """What every map rollup row holds for one grid cell and open/closed: the count, the sums
    for the reports' mean position, and the cell's origin for bounding-box reads."""

    level = models.PositiveSmallIntegerField()
    cell = models.CharField(max_length=24)
    is_open = models.BooleanField()
    count = models.IntegerField(default=0)
    lat_sum = models.FloatField(default=0)
    lon_sum = models.FloatField(default=0)
    # Cell origin, for bounding-box reads.
    min_lat = models.FloatField()
    min_lon = models.FloatField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.level}/{self.cell}"


class MapCell(MapCellCounts):
    """Public map rollup: how many public reports fall in one grid cell, per category and open/closed.

    Kept up to date in the same transaction as the change to a report, so the map's data for a
    wide viewport reads a bounded number of cells however many reports there are. `level` is the
    grid size (cells of 2^-level degrees); `cell` is "x:y" on that grid.
    """

    category = models.ForeignKey("fieldreports.ReportCategory", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "cell", "category", "is_open"], name="map_cell_unique"),
        ]
        indexes = [models.Index(fields=["level", "min_lat", "min_lon"], name="map_cell_bbox_idx")]


class MapCellTotal(MapCellCounts):
    """MapCell summed over categories: what the unfiltered map reads, at most two rows (open,
    closed) per cell however many categories the province has."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "cell", "is_open"], name="map_cell_total_unique")]
        indexes = [models.Index(fields=["level", "min_lat", "min_lon"], name="map_cell_total_bbox_idx")]

    def __str__(self) -> str:
        return f"{super().__str__()} (tổng)"
