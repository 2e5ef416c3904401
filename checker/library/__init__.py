"""The published library: a duplicate index beyond one machine (issue 22).

Data flow::

    SOURCE (folder, HDFS, S3 …) ──► Spark: read bytes ──► checker.readers.read_bytes
        ──► checker.dedup.fingerprint (the one fingerprint function of every path)
        ──► INDEX/gen-N/fingerprints/*.parquet            (hash, draft_id, pos, start, end,
                                                            line, column; sorted by hash)
            INDEX/gen-N/frequencies/*.parquet             (hash, df; sorted by hash)
            INDEX/gen-N/drafts/*.parquet                  (draft_id, path, sha256, length,
                                                            prints, problem, text; by id)
            INDEX/gen-N/parts.json                        (each file's range of keys)
            INDEX/manifest.json                           (format, fingerprint settings,
                                                            draft count, current generation)

    draftlint library audit INDEX ──► Spark: document frequency per hash, self-join on the
        rare hashes, then per draft checker.dedup.find_copies over the postings it shares
        (the embedded matcher itself) ──► JSON and a summary

    draftlint check --library INDEX ──► checker.library.lookup.LibraryIndex (DuckDB over the
        Parquet files, no Spark, no server) answers checker.dedup's three index questions,
        so D201 also reports "this passage is in published draft X".

Modules: :mod:`layout` (the index's files and manifest: no Spark, no DuckDB),
:mod:`spark_jobs` (build and audit; imports pyspark), :mod:`lookup` (DuckDB),
:mod:`commands` (the ``draftlint library`` subcommands).
"""
