"""Grading on a Dask cluster: ``mastery-nb grade --scheduler tcp://HOST:PORT`` (or
``--gateway URL``: a dask-gateway cluster, :mod:`mastery_nb.grade.gateway`, which differs
only in how the client is obtained).

The queue (:mod:`mastery_nb.grade.queue`) stays in one process: it claims each attempt,
hands it to a :class:`DaskGrader` (the same ``grade`` as the local pool, so nothing else
changes), and records the result exactly once while it holds the claim. What runs on the
cluster is the pure part: (bundle, submitted notebooks, support files, settings) -> result.

* **Workers**: :class:`GradingPlugin`, registered by the grader on every worker of the
  cluster (and on workers that join later), starts a local :class:`GradingPool` on the
  worker with one sandboxed slot per worker thread: the same sandbox as locally (as root:
  namespaces, a uid per child, limits; otherwise the unprivileged mode), stated in the
  worker's log. A worker needs mastery-nb (and what the course imports) installed.
* **The bundle travels once per worker**: the course's support files and ``course.json``
  go as one payload, keyed by the SHA-256 of the lines of ``SHA256SUMS`` that cover them;
  a worker checks every file against those sums before it writes the copy it grades from,
  and keeps it for the next attempt. The payload is the result of a task (not scattered
  data), so when every worker that held it dies, Dask makes it again instead of forgetting
  it and cancelling every attempt that needs it.
* **Faults are the grader's, never the learner's**: a worker that dies mid-attempt makes
  Dask run the attempt again on another worker (the queue receives one result, so it is
  recorded once); an attempt that keeps killing workers comes back as ``KilledWorker``
  after Dask's ``allowed-failures`` and is a grader fault (retried alone on the cluster,
  :meth:`DaskGrader.grade_alone`, so it ends no other attempt's grading; then
  ``grader-error``), as is an attempt the scheduler keeps cancelling while it is up; a
  scheduler that goes away raises :class:`WorkerUnavailable`: the claim is given back,
  the queue waits, and a watching grader (``--watch``, the service) connects again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.grade.execution import GradingUnavailable
from mastery_nb.grade.gateway import GatewayConnection, GatewayTarget, open_gateway
from mastery_nb.grade.limits import Limits
from mastery_nb.grade.result import AttemptResult
from mastery_nb.grade.turns import Turns
from mastery_nb.grade.worker import WorkerUnavailable

__all__ = ["PLUGIN_NAME", "BundlePayload", "DaskGrader", "GradingPlugin", "grade_on_worker"]

log = logging.getLogger(__name__)

PLUGIN_NAME = "mastery-nb-grading"
#: how long to wait for the scheduler when connecting
CONNECT_SECONDS = 20.0

BundlePayload = dict[str, bytes]


def _sums(text: str) -> dict[str, str]:
    """``SHA256SUMS`` as name -> digest."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        digest, _sep, name = line.partition("  ")
        if digest and name:
            found[name] = digest
    return found


def pack_bundle(files_dir: Path) -> tuple[str, BundlePayload]:
    """The support files of a released course (``autograder/<course>/files``) and its
    ``course.json``, checked against its ``SHA256SUMS``; and their key (the hash of the
    sums that cover them). Raises GradingUnavailable when a file does not match."""
    bundle_dir = files_dir.parent
    try:
        sums_text = (bundle_dir / "SHA256SUMS").read_text(encoding="utf-8")
    except OSError as error:
        raise GradingUnavailable(
            f"the grading bundle {bundle_dir} has no SHA256SUMS ({error})",
            "release the course again",
        ) from error
    sums = _sums(sums_text)
    names = [n for n in sums if n == "course.json" or n.startswith("files/")]
    payload: BundlePayload = {}
    for name in sorted(names):
        data = (bundle_dir / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != sums[name]:
            raise GradingUnavailable(
                f"{bundle_dir / name} does not match the bundle's SHA256SUMS",
                "release the course again",
            )
        payload[name] = data
    covered = "".join(f"{sums[n]}  {n}\n" for n in sorted(names))
    payload["SHA256SUMS"] = covered.encode("utf-8")
    return hashlib.sha256(covered.encode("utf-8")).hexdigest(), payload


def unpack_bundle(cache: Path, key: str, payload: BundlePayload) -> Path:
    """The worker's copy of a bundle (written once, every file verified): its files dir."""
    target = cache / "autograder" / key
    if (target / "SHA256SUMS").is_file():
        return target / "files"
    sums_bytes = payload.get("SHA256SUMS", b"")
    if hashlib.sha256(sums_bytes).hexdigest() != key:
        raise GradingUnavailable(
            "a grading bundle arrived with the wrong key", "see the grader log"
        )
    sums = _sums(sums_bytes.decode("utf-8"))
    if set(sums) != set(payload) - {"SHA256SUMS"}:
        raise GradingUnavailable("a grading bundle arrived incomplete", "see the grader log")
    (cache / "autograder").mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=cache / "autograder"))
    try:
        for name, digest in sums.items():
            data = payload[name]
            path = (staging / name).resolve()
            if hashlib.sha256(data).hexdigest() != digest or staging.resolve() not in path.parents:
                raise GradingUnavailable(
                    f"the bundle file {name} arrived damaged", "see the grader log"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (staging / "files").mkdir(exist_ok=True)
        (staging / "SHA256SUMS").write_bytes(sums_bytes)  # last: marks the copy complete
        try:
            staging.rename(target)
        except OSError:  # another thread of this worker wrote it first
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target / "files"


def _sandbox_mode() -> str:
    if os.geteuid() == 0:
        return "as root: namespaces, a uid per child, resource limits (docs/security.md)"
    return (
        "unprivileged: user namespaces and resource limits; learner code runs as this "
        "worker's user (docs/security.md, what depends on the machine)"
    )


try:  # the plugin base class, when distributed is installed (the `dask` extra)
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - the local pool needs no Dask
    _PluginBase = object  # type: ignore[misc, assignment]


class GradingPlugin(_PluginBase):
    """On a Dask worker: a warm local grading pool, and the bundles it has received."""

    name = PLUGIN_NAME

    def __init__(self, limits: dict[str, Any]) -> None:
        self.limits = limits
        self.pool: Any = None
        self.cache: Path | None = None

    def setup(self, worker: Any) -> None:
        from mastery_nb.grade.attempt import GradingPool

        self.cache = Path(worker.local_directory) / "mastery-nb"
        self.cache.mkdir(parents=True, exist_ok=True)
        base = Limits.from_json(self.limits)
        limits = Limits.from_json(
            {**base.to_json(), "hide_paths": [*base.hide_paths, str(self.cache)]}
        )
        slots = max(1, int(getattr(worker.state, "nthreads", 1)))
        self.pool = GradingPool(workers=slots, limits=limits)
        message = f"mastery-nb grading: {slots} sandboxed slot(s); sandbox {_sandbox_mode()}"
        logging.getLogger("distributed.worker").info(message)
        log.warning(message)

    def teardown(self, worker: Any) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.close()

    def grade(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        key: str,
        payload: BundlePayload,
        thresholds: Mapping[str, float] | None,
        limits: Limits | None,
    ) -> AttemptResult:
        if self.pool is None or self.cache is None:
            raise GradingUnavailable("the worker's grading pool is not running")
        files_dir = unpack_bundle(self.cache, key, payload)
        result: AttemptResult = self.pool.grade(
            bundle, notebooks, files_dir, thresholds=thresholds, limits=limits
        )
        return result


def _bundle_payload(payload: BundlePayload) -> BundlePayload:
    """The task whose result is a course's support files (see :meth:`DaskGrader._payload`)."""
    return payload


def grade_on_worker(
    bundle: UnitBundle,
    notebooks: dict[str, bytes],
    key: str,
    payload: BundlePayload,
    thresholds: dict[str, float] | None,
    limits: Limits | None,
) -> AttemptResult:
    """The task run on a worker: grade one attempt in the worker's pool."""
    from distributed import get_worker

    plugin: Any = get_worker().plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise GradingUnavailable("this Dask worker has no mastery-nb grading plugin")
    result: AttemptResult = plugin.grade(bundle, notebooks, key, payload, thresholds, limits)
    return result


class DaskGrader:
    """Grades attempts on a Dask cluster (a :class:`~mastery_nb.grade.queue.Grader`).

    Raises WorkerUnavailable when the scheduler cannot be reached or no worker can start
    its grading pool."""

    def __init__(
        self, scheduler: str | GatewayTarget, limits: Limits, *, timeout: float = CONNECT_SECONDS
    ):
        try:
            from distributed import Client
        except ImportError as error:
            raise WorkerUnavailable(
                "grading on Dask needs the `distributed` package",
                'install mastery-nb with the dask extra: pip install "mastery-nb[dask]"',
            ) from error
        self.limits = limits
        self._payloads: dict[str, Any] = {}
        self._turns = Turns()
        #: a dask-gateway cluster's connection (closed, and shut down if started, on close)
        self._gateway: GatewayConnection | None = None
        if isinstance(scheduler, str):
            self.scheduler = scheduler
            try:
                self.client = Client(scheduler, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError) as error:
                raise WorkerUnavailable(
                    f"the Dask scheduler {scheduler} cannot be reached ({error})",
                    "start it, or check the address given to --scheduler",
                ) from error
        else:
            self._gateway = open_gateway(scheduler)
            self.scheduler, self.client = self._gateway.name, self._gateway.client
        try:
            self.client.register_plugin(GradingPlugin(limits.to_json()), name=PLUGIN_NAME)
        except Exception as error:
            self.close()
            raise WorkerUnavailable(
                f"the Dask workers cannot start grading ({type(error).__name__}: {error})",
                "see the workers' logs; each needs mastery-nb installed (docs/scaling.md)",
            ) from error

    def _payload(self, files_dir: Path) -> tuple[str, Any]:
        key, payload = pack_bundle(files_dir)
        if key not in self._payloads:
            # sent once; each worker fetches it once and keeps it while it is held here. A
            # task, not scattered data: lost with the workers that held it, it is made again
            self._payloads[key] = self.client.submit(
                _bundle_payload, payload, key=f"mastery-nb-bundle-{uuid.uuid4().hex}"
            )
        return key, self._payloads[key]

    def grade(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        files_dir: Path,
        *,
        thresholds: Mapping[str, float] | None = None,
        limits: Limits | None = None,
    ) -> AttemptResult:
        with self._turns.shared():
            return self._grade(bundle, notebooks, files_dir, thresholds, limits)

    def grade_alone(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        files_dir: Path,
        *,
        thresholds: Mapping[str, float] | None = None,
        limits: Limits | None = None,
    ) -> AttemptResult:
        """Grade with no other attempt on the cluster (the queue's choice for an attempt
        whose last grading failed in the grader): if it is the one that ends workers, it
        takes no other attempt's grading with it (:mod:`mastery_nb.grade.turns`)."""
        with self._turns.alone():
            return self._grade(bundle, notebooks, files_dir, thresholds, limits)

    def _grade(
        self,
        bundle: UnitBundle,
        notebooks: Mapping[str, bytes],
        files_dir: Path,
        thresholds: Mapping[str, float] | None,
        limits: Limits | None,
    ) -> AttemptResult:
        from distributed import KilledWorker

        for tries_left in (2, 1, 0):
            try:
                key, payload = self._payload(Path(files_dir))
                with self._gateway.attempt() if self._gateway else contextlib.nullcontext():
                    future = self.client.submit(
                        grade_on_worker,
                        bundle,
                        dict(notebooks),
                        key,
                        payload,
                        dict(thresholds) if thresholds is not None else None,
                        limits or self.limits,
                        pure=False,
                    )
                    result: AttemptResult = future.result()
                return result
            except KilledWorker as error:
                raise GradingUnavailable(
                    f"the attempt's grading ended Dask workers repeatedly (KilledWorker: {error})",
                    "see the workers' logs (memory, the node)",
                ) from error
            except GradingUnavailable:
                raise
            except BaseException as error:
                running = self.client.status == "running"
                if running and _is_cancelled(error):
                    # the scheduler is there but forgot the task (a worker that died held
                    # what it needed): send the course's files again and grade the attempt
                    # again (nothing was recorded: only this process records, under its
                    # claim); a few times, then it is a grader fault the queue retries later
                    self._payloads.clear()
                    if not tries_left:
                        raise GradingUnavailable(
                            f"Dask cancelled the attempt's grading 3 times ({error})",
                            "see the scheduler's and workers' logs",
                        ) from error
                    log.info("Dask cancelled an attempt's grading (%s); submitting it again", error)
                    continue
                if not running or _is_connection(error):
                    self._payloads.clear()
                    raise WorkerUnavailable(
                        f"the Dask scheduler {self.scheduler} went away "
                        f"({type(error).__name__}: {error})",
                        "the queue waits; start the scheduler again",
                    ) from error
                raise
        raise AssertionError("unreachable: the last try raises or returns")  # pragma: no cover

    def close(self) -> None:
        self._payloads.clear()
        if self._gateway is not None:
            self._gateway.close()
            return
        try:
            self.client.close(timeout=10)  # type: ignore[no-untyped-call]
        except Exception:  # closing after the scheduler went away
            log.debug("closing the Dask client", exc_info=True)


def _is_cancelled(error: BaseException) -> bool:
    """Was the attempt's future cancelled (by the scheduler, or with the connection)?"""
    import asyncio
    import concurrent.futures

    return isinstance(error, asyncio.CancelledError | concurrent.futures.CancelledError)


def _is_connection(error: BaseException) -> bool:
    """Did the connection to the cluster fail (the futures are cancelled when it does)?"""
    import asyncio
    import concurrent.futures

    from distributed.comm.core import CommClosedError

    return isinstance(
        error,
        asyncio.CancelledError
        | concurrent.futures.CancelledError
        | CommClosedError
        | OSError
        | TimeoutError,
    )
