"""The Spark engine: Spark reads the input, codes it with ``mapPartitions``, writes the lake.

One spaCy pipeline is loaded per executor process (``code.code_partition``) and codes every
task that process runs. Spark's JSON reader (a line that is not JSON lands in
``_corrupt_record`` and is quarantined by the coder, never fatal) and Parquet reader bring
the records in; its Parquet writer, with dynamic partition overwrite, writes each table
partitioned by ``day``: re-running a day replaces that day and no other. A task that fails
(an executor lost) is retried by Spark; coding is deterministic, so a retry writes the same rows.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..settings import Settings
from . import BackfillSummary
from .code import code_partition
from .inputs import COLUMNS, is_parquet
from .tables import PARTITION, TABLES, day_folder

#: the key of each table's rows: a text read twice (or a task retried) is written once
KEYS = {"articles": ["id"], "events": ["id"], "evidence": ["event_id", "field"], "quarantine": ["id"]}
JSON_SCHEMA = "id STRING, url STRING, title STRING, published STRING, text STRING, _corrupt_record STRING"


def session(master: str, app: str = "powderkeg backfill", conf: Mapping[str, str] | None = None) -> Any:
    """A SparkSession on ``master`` (local[N], spark://..., yarn, k8s://...), with ``conf`` set
    (e.g. ``spark.archives`` and ``spark.pyspark.python``: the environment the executors run)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the Spark engine needs pyspark",
            remedy="pip install 'powderkeg[spark]' and a Java 17+ runtime (Debian: default-jre-headless)",
        ) from None
    builder = SparkSession.builder.master(master).appName(app)
    if master.startswith("local"):
        if not os.environ.get("PYSPARK_PYTHON"):
            os.environ["PYSPARK_PYTHON"] = sys.executable  # local executors: this environment's powderkeg
        # in-process executors talk over loopback: no dependence on the host name resolving
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config(
            "spark.driver.host", "127.0.0.1"
        )
    builder = (
        builder.config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def read_inputs(spark: Any, inputs: Sequence[str]) -> Any:
    """One DataFrame of (origin, id, url, title, published, text, corrupt) over every input."""
    from pyspark.sql import functions as F

    frames = []
    for path in inputs:
        if is_parquet(path):
            df = spark.read.parquet(path)
            cols = [
                (F.col(c).cast("string") if c in df.columns else F.lit(None).cast("string")).alias(c)
                for c in COLUMNS
            ]
            df = df.select(
                F.input_file_name().alias("origin"), *cols, F.lit(None).cast("string").alias("corrupt")
            )
        else:
            reader = (
                spark.read.schema(JSON_SCHEMA)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", "_corrupt_record")
            )
            if path.endswith("/") or Path(path).is_dir():  # a folder: its *.jsonl files, at any depth
                reader = reader.option("recursiveFileLookup", "true").option("pathGlobFilter", "*.jsonl")
            df = reader.json(path)
            df = df.select(
                F.input_file_name().alias("origin"), *COLUMNS, F.col("_corrupt_record").alias("corrupt")
            )
        frames.append(df)
    out = frames[0]
    for df in frames[1:]:
        out = out.unionByName(df)
    return out


def run_spark(
    inputs: Sequence[str],
    out: str,
    settings: Settings,
    master: str,
    spark: Any = None,
    conf: Mapping[str, str] | None = None,
) -> BackfillSummary:
    from pyspark import StorageLevel
    from pyspark.sql.types import StructType

    started = time.perf_counter()
    spark = spark or session(master, conf=conf)
    df = read_inputs(spark, inputs)
    wanted = spark.sparkContext.defaultParallelism * 2  # a few tasks per core, so the cores stay even
    if df.rdd.getNumPartitions() < wanted:
        df = df.repartition(wanted)
    coded = df.rdd.mapPartitions(partial(code_partition, settings)).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        counts = coded.map(lambda row: row[0]).countByValue()
        written = set(coded.map(lambda row: (row[0], row[1])).distinct().collect())  # (table, day)
        days = {day for _, day in written}
        for table, columns in TABLES.items():
            schema = StructType.fromDDL(", ".join(f"`{n}` {t}" for n, t in columns) + f", `{PARTITION}` DATE")
            rows = coded.filter(lambda row, t=table: row[0] == t).map(lambda row: (*row[2], row[1]))
            frame = spark.createDataFrame(rows, schema).dropDuplicates(KEYS[table])
            frame.write.mode("overwrite").partitionBy(PARTITION).parquet(f"{out.rstrip('/')}/{table}")
            _drop_days(spark, out, table, days - {d for t, d in written if t == table})
        summary = BackfillSummary(
            documents=df.count(),
            articles=counts.get("articles", 0),
            events=counts.get("events", 0),
            quarantined=counts.get("quarantine", 0),
            days=len(days),
        )
    finally:
        coded.unpersist()
    summary.seconds = time.perf_counter() - started
    return summary


def _drop_days(spark: Any, out: str, table: str, days: set[Any]) -> None:
    """Days the run touched but wrote no rows of this table for: their old rows go too.

    (Dynamic overwrite replaces only the partitions a write has rows for.) Through
    Hadoop's FileSystem, so this works on any filesystem Spark writes to.
    """
    if not days:
        return
    jvm = spark.sparkContext._jvm
    base = jvm.org.apache.hadoop.fs.Path(f"{out.rstrip('/')}/{table}")
    fs = base.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    for day in days:
        folder = jvm.org.apache.hadoop.fs.Path(base, day_folder(day))
        if fs.exists(folder):
            fs.delete(folder, True)
