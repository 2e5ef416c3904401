"""The library's Spark jobs: build (or update) the index, and audit it for copied passages.

Both run the embedded path's own functions inside Spark's Python workers: drafts are read
with :func:`checker.readers.read_bytes`, fingerprinted with :func:`checker.dedup.fingerprint`
and matched with :func:`checker.dedup.find_copies`; Spark only moves the rows (reading,
the document-frequency count, the self-join on rare fingerprints, grouping by draft) and
writes Parquet. ``master`` is passed to Spark as it is (``local[*]`` by default; a
``spark-submit`` run sets its own).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator
from urllib.parse import unquote

from checker.dedup import DraftPrint, Settings
from checker.library import layout

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

LOCAL_MEMORY = "4g"
# what opening one more file costs, in bytes read: Spark's 4 MB packs only about 32 drafts
# into a task, and then the tasks' own costs outweigh their drafts'
OPEN_COST = 256 * 1024
SKIPPED_DIRS = (".git", ".hg", ".svn", "node_modules", ".venv", ".draftlint_cache")


def session(master: str | None, app: str) -> "SparkSession":
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    quiet = False
    if (master or "local").startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # listen on this machine only
        # the workers run this Python (its numpy, pyarrow and draftlint), not whatever
        # python3 comes first on PATH; under spark-submit (which started this process and
        # handed it a gateway) the submission says what the executors run
        if "PYSPARK_GATEWAY_PORT" not in os.environ:
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        # one JVM does all the work in local mode: give it more than Spark's 1 GB default
        builder = builder.config("spark.driver.memory", LOCAL_MEMORY)
        quiet = "SPARK_CONF_DIR" not in os.environ  # no Java stacks before our error line
        if quiet:
            config = Path(__file__).resolve().with_name("log4j2.properties").as_uri()
            builder = builder.config("spark.driver.extraJavaOptions",  # a URI: no spaces
                                     f"-Dlog4j2.configurationFile={config}")
    builder = builder.config("spark.ui.enabled", "false") \
        .config("spark.ui.showConsoleProgress", "false") \
        .config("spark.sql.shuffle.partitions", "8") \
        .config("spark.sql.files.openCostInBytes", str(OPEN_COST)) \
        .config("spark.sql.parquet.compression.codec", "zstd")
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    if not quiet:
        spark.sparkContext.setLogLevel("ERROR")
    return spark


def _relative(uri: str, root: str) -> str | None:
    """A file's path inside the source folder, or None for one under a skipped folder."""
    path = unquote(uri)
    root = unquote(root).rstrip("/") + "/"
    rel = path[len(root):] if path.startswith(root) else path.rsplit("/", 1)[-1]
    parts = rel.split("/")
    if any(p in SKIPPED_DIRS or p.startswith(".") for p in parts[:-1]):
        return None
    return rel


def fingerprint_rows(files: Iterable[tuple[str, bytes, str]], root: str, settings: Settings
                     ) -> Iterator[tuple]:
    """Per file (its URI, bytes and SHA-256): (draft_id, path, sha256, length, problem,
    text, then line_starts, lines and the print's columns as int64 numpy arrays). Runs in
    Spark's Python workers."""
    import numpy as np

    from checker.dedup import fingerprint
    from checker.readers import format_of, read_bytes
    from pathlib import PurePosixPath

    empty = np.zeros(0, dtype=np.int64)
    for uri, content, sha256 in files:
        rel = _relative(uri, root)
        if rel is None or not rel.lower().endswith(layout.EXTENSIONS):
            continue
        result = read_bytes(bytes(content), rel, format_of(PurePosixPath(rel)))
        doc = result.document
        if doc is None:
            problem = "; ".join(f"{p.code} {p.message}" for p in result.problems) or "unreadable"
            yield (layout.draft_id(rel), rel, sha256, 0, problem, None,
                   np.zeros(1, dtype=np.int64), *[empty] * 7)
            continue
        print_ = fingerprint(doc.text, settings, doc.source_map or ())
        cols = [np.frombuffer(c, dtype=np.int64) for c in (
            print_.line_starts, print_.lines, print_.hashes, print_.positions, print_.starts,
            print_.ends)]
        line_starts, lines, starts = cols[0], cols[1], cols[4]
        at = np.searchsorted(line_starts, starts, "right") - 1  # as DraftPrint.position
        yield (layout.draft_id(rel), rel, sha256, print_.length, None, doc.text, *cols,
               lines[at] if len(lines) else at + 1, starts - line_starts[at] + 1)


_PRINTED = ("draft_id long, path string, sha256 string, length long, problem string, "
            "text string, line_starts array<long>, lines array<long>, hashes array<long>, "
            "positions array<long>, starts array<long>, ends array<long>, "
            "plines array<long>, pcolumns array<long>")
_PRINTED_NAMES = [column.split()[0] for column in _PRINTED.split(", ")]


def printed_batches(batches: Iterable[Any], root: str, settings: Settings) -> Iterator[Any]:
    """:func:`fingerprint_rows` over Arrow record batches of files (Spark's mapInArrow),
    as Arrow record batches of :data:`_PRINTED`: the prints' columns reach Spark as Arrow
    lists built from the numpy arrays, not as Python lists of Python ints."""
    import numpy as np
    import pyarrow as pa

    for batch in batches:
        files = zip(*(batch.column(c).to_pylist() for c in ("path", "content", "sha256")))
        rows = list(fingerprint_rows(files, root, settings))
        if not rows:
            continue
        cols = list(zip(*rows))
        arrays = [pa.array(cols[i], t) for i, t in enumerate(
            (pa.int64(), pa.string(), pa.string(), pa.int64(), pa.string(), pa.string()))]
        for col in cols[6:]:
            offsets = np.concatenate(([0], np.cumsum([len(v) for v in col])))
            arrays.append(pa.ListArray.from_arrays(pa.array(offsets).cast(pa.int32()),
                                                   pa.array(np.concatenate(col))))
        yield pa.RecordBatch.from_arrays(arrays, names=_PRINTED_NAMES)


def _source_files(spark: "SparkSession", source: str) -> tuple["DataFrame", str]:
    from pyspark.sql import functions as F

    jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
    hpath = jvm.org.apache.hadoop.fs.Path(source)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())  # type: ignore
    root = fs.makeQualified(hpath).toString()
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
             .load(source).select("path", "content", F.sha2("content", 256).alias("sha256")))
    return files, root


def build(source: str, index: str, settings: Settings, *, master: str | None = None,
          buckets: int = layout.DEFAULT_BUCKETS) -> layout.Manifest:
    """Build the index of the drafts under ``source`` at ``index`` (a local folder), or
    update it when it exists: unchanged drafts keep their rows, changed and added drafts
    are fingerprinted, removed drafts leave. Returns the new manifest."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    # Spark's JVM resolves relative paths against its own working directory, which need
    # not be this process's: hand it absolute ones
    index = os.path.abspath(index)
    source = source if "://" in source else os.path.abspath(source)
    old = layout.read_manifest(index) if os.path.exists(
        os.path.join(index, layout.MANIFEST)) else None
    if old is not None:
        layout.check_compatible(old, settings, os.path.join(index, layout.MANIFEST))
        buckets = old.buckets
    spark = session(master, "draftlint library build")
    files, root = _source_files(spark, source)
    kept_drafts = kept_prints = None
    if old is not None:
        old_drafts = spark.read.parquet(os.path.join(index, old.data, "drafts"))
        files = files.withColumn("rel", F.udf(lambda p: _relative(p, root), "string",
                                                      useArrow=False)("path"))
        same = files.join(old_drafts.select(F.col("path").alias("rel"), "sha256"),
                          ["rel", "sha256"], "inner").select("rel")
        kept_drafts = old_drafts.join(same.withColumnRenamed("rel", "path"), "path")
        kept_prints = spark.read.parquet(os.path.join(index, old.data, "fingerprints")) \
            .join(kept_drafts.select("draft_id"), "draft_id")
        files = files.join(same, "rel", "left_anti").drop("rel")
    printed = files.mapInArrow(lambda batches: printed_batches(batches, root, settings),
                               _PRINTED).persist(StorageLevel.DISK_ONLY)
    drafts = printed.select("draft_id", "path", "sha256", "length",
                            F.size("hashes").cast("long").alias("prints"), "problem", "text",
                            "line_starts", "lines")
    prints = printed.select("draft_id", F.explode(F.arrays_zip(
        F.col("hashes").alias("hash"), F.col("positions").alias("pos"),
        F.col("starts").alias("start"), F.col("ends").alias("end"),
        F.col("plines").alias("line"), F.col("pcolumns").alias("column"))).alias("p")) \
        .select(F.col("p.hash").alias("hash"), "draft_id", F.col("p.pos").alias("pos"),
                F.col("p.start").alias("start"), F.col("p.end").alias("end"),
                F.col("p.line").alias("line"), F.col("p.column").alias("column"))
    hashes = printed.select(F.explode(F.array_distinct("hashes")).alias("hash"))  # a draft once
    if kept_drafts is not None and kept_prints is not None:
        drafts = drafts.unionByName(kept_drafts)
        prints = prints.unionByName(kept_prints.select(*layout.FINGERPRINT_COLUMNS))
        hashes = hashes.unionByName(kept_prints.select("hash", "draft_id").distinct()
                                    .select("hash"))
    generation = old.generation + 1 if old is not None else 1
    target = os.path.join(index, f"gen-{generation}")
    if os.path.exists(target):  # left by a build that did not finish
        shutil.rmtree(target)
    parts = {"drafts": _write_sorted(spark, drafts, target, "drafts", buckets),
             "fingerprints": _write_sorted(spark, prints, target, "fingerprints", buckets)}
    frequencies = hashes.groupBy("hash").agg(F.count("*").cast("long").alias("df"))
    parts["frequencies"] = _write_sorted(spark, frequencies, target, "frequencies", buckets)
    layout.write_parts(target, parts)
    written = spark.read.parquet(os.path.join(target, "drafts")).filter(F.col("problem").isNull())
    counts = written.agg(F.count("*").alias("n"), F.sum("prints").alias("p")).first()
    printed.unpersist()
    manifest = layout.new_manifest(settings, drafts=int(counts["n"]),
                                   fingerprints=int(counts["p"] or 0), buckets=buckets,
                                   generation=generation, source=source)
    os.makedirs(index, exist_ok=True)
    layout.write_manifest(index, manifest)
    if old is not None:
        shutil.rmtree(os.path.join(index, old.data), ignore_errors=True)
    return manifest


def _write_sorted(spark: "SparkSession", rows: "DataFrame", target: str, table: str,
                  buckets: int) -> list[tuple[str, int, int]]:
    """``rows`` as the Parquet files of ``table`` under ``target``, sorted by the table's
    key across the files (each file a range of keys: Spark samples the keys for the
    ranges) in small row groups; returns each file's name and range, for ``parts.json``."""
    from pyspark.sql import functions as F

    key, folder = layout.TABLES[table], os.path.join(target, table)
    (rows.repartitionByRange(layout.files_of(buckets, table), key).sortWithinPartitions(key)
     .write.option("parquet.block.size", layout.ROW_GROUP_BYTES).parquet(folder))
    ranges = spark.read.parquet(folder).groupBy(F.input_file_name().alias("file")) \
        .agg(F.min(key).alias("lo"), F.max(key).alias("hi")).collect()
    return [(unquote(r.file).rsplit("/", 1)[-1], int(r.lo), int(r.hi)) for r in ranges]


def audit(index: str, *, master: str | None = None) -> list[dict[str, Any]]:
    """Every copied passage between two drafts of the library, as find_copies reports it
    for each draft against all the others (so both drafts of a pair report it)."""
    from pyspark.sql import functions as F

    index = os.path.abspath(index)
    manifest = layout.read_manifest(index)
    settings = layout.settings_from(manifest.settings)
    spark = session(master, "draftlint library audit")
    data = os.path.join(index, manifest.data)
    drafts = spark.read.parquet(os.path.join(data, "drafts"))
    prints = spark.read.parquet(os.path.join(data, "fingerprints"))
    total = manifest.drafts
    limit = settings.stock_limit(total)
    # the self-join grows with the library: about 500 drafts' pairs to a shuffle partition
    spark.conf.set("spark.sql.shuffle.partitions", str(max(8, total // 500)))
    frequency = spark.read.parquet(os.path.join(data, "frequencies"))
    rare = prints.join(frequency.filter((F.col("df") >= 2) & (F.col("df") <= limit)), "hash")
    mine, theirs = rare.alias("m"), rare.alias("t")
    shared = mine.join(theirs, (F.col("m.hash") == F.col("t.hash"))
                       & (F.col("m.draft_id") != F.col("t.draft_id"))) \
        .select(F.col("m.draft_id").alias("target"),
                F.struct(*[F.col(f"t.{c}").alias(c) for c in (*layout.FINGERPRINT_COLUMNS,
                                                               "df")]).alias("row"))
    postings = shared.groupBy("target").agg(F.collect_list("row").alias("rows"))
    # each own fingerprint with its document frequency, stock ones too: find_copies
    # leaves out a passage that is mostly stock text, which it can tell only from them
    own = prints.join(frequency, "hash").groupBy("draft_id").agg(F.collect_list(F.struct(
        "pos", "hash", "start", "end", "df")).alias("own"))
    work = postings.join(own.withColumnRenamed("draft_id", "target"), "target").join(
        drafts.select(F.col("draft_id").alias("target"), "path", "length", "line_starts",
                      "lines"), "target").localCheckpoint()
    # (kept as rows: the columnar cache of persist() builds batches of rows in the heap,
    # and a draft sharing much of its text holds 10^5 postings: out of memory at 10^5)
    # two passes: first the other drafts whose texts find_copies asks for (those of the
    # chains long and full enough, which the fingerprints alone decide), then the
    # matching with those texts only: the texts of every pair of drafts that share a rare
    # fingerprint filled the disk on 10,000 drafts
    asked = spark.createDataFrame(
        work.rdd.mapPartitions(lambda part: _asked(part, settings, total)),
        "target long, other long")
    texts = asked.join(drafts.select(F.col("draft_id").alias("other"), F.col("path").alias(
        "other_path"), F.col("text").alias("other_text")), "other").groupBy("target").agg(
        F.collect_list(F.struct(F.col("other"), F.col("other_path").alias("path"),
                                F.col("other_text").alias("text"))).alias("texts"))
    matched = work.join(texts, "target").join(
        drafts.select(F.col("draft_id").alias("target"), "text"), "target")
    rows = matched.rdd.mapPartitions(lambda part: _audit_rows(part, settings, total)).collect()
    return sorted(rows, key=lambda r: (r["path"], r["start"], r["other"]))


def _print_and_index(row: Any, names: dict[int, str], total: int
                     ) -> tuple[DraftPrint, "_SharedPostings"]:
    """A target draft's print and the postings it shares, the other drafts named by
    ``names``."""
    from array import array

    from checker.dedup import Posting

    own = sorted(row.own, key=lambda r: r.pos)
    print_ = DraftPrint(array("q", [r.hash for r in own]), array("q", [r.pos for r in own]),
                        array("q", [r.start for r in own]), array("q", [r.end for r in own]),
                        row.length, array("q", row.line_starts), array("q", row.lines))
    index = _SharedPostings(
        [Posting(r.hash, names.get(r.draft_id, str(r.draft_id)), r.pos, r.start, r.end,
                 r.line, r.column) for r in row.rows], {r.hash: r.df for r in own}, total)
    return print_, index


def _asked(part: Iterable[Any], settings: Settings, total: int) -> Iterator[tuple[int, int]]:
    """(target, other) for each other draft whose text find_copies asks for (Spark
    workers): it asks for the target's text first, and for another's only after it."""
    from checker.dedup import find_copies

    for row in part:
        print_, index = _print_and_index(row, {}, total)
        asked: set[str] = set()

        def text(draft: str) -> str | None:
            if draft == row.path:
                return ""
            asked.add(draft)
            return None

        find_copies(row.path, print_, index, settings, text)
        yield from ((row.target, int(other)) for other in sorted(asked))


def _audit_rows(part: Iterable[Any], settings: Settings, total: int
                ) -> Iterator[dict[str, Any]]:
    """find_copies for each target draft over the postings it shares (Spark workers)."""
    from checker.dedup import find_copies

    for row in part:
        names = {o.other: o.path for o in row.texts}
        texts = {o.path: o.text for o in row.texts}
        texts[row.path] = row.text
        print_, index = _print_and_index(row, names, total)
        for copy in find_copies(row.path, print_, index, settings, texts.get):
            yield {"path": row.path, **copy._asdict()}


class _SharedPostings:
    """The index find_copies sees in the audit: only the postings of the target's rare
    fingerprints held by other drafts (the only ones it asks for), the library-wide
    document frequency of each of the target's fingerprints (stock ones included), and the
    library's draft count."""

    def __init__(self, rows: list[Any], frequency: dict[int, int], total: int) -> None:
        self._rows, self._frequency, self._total = rows, frequency, total

    def lookup(self, hashes: Iterable[int], drafts: Any = None) -> list[Any]:
        wanted = set(hashes)
        return [r for r in self._rows if r.hash in wanted and (drafts is None
                                                                or r.draft in drafts)]

    def document_frequency(self, hashes: Iterable[int]) -> dict[int, int]:
        return {h: self._frequency[h] for h in hashes if h in self._frequency}

    def draft_count(self) -> int:
        return self._total
