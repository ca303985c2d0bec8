"""Apache Kafka in KRaft mode (one node, broker and controller in one JVM), started from Maven Central jars.

The distribution's scripts are not on Maven Central, so this resolves the class path once with
`mvn dependency:copy-dependencies` (see kafka-pom.xml) and starts the main classes directly.
Data lives under `home/data` and survives restarts.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from devstack._process import ServiceProcess
from devstack.broker import answers_metadata
from devstack.ports import free_port, is_listening

log = logging.getLogger(__name__)

KAFKA_POM = Path(__file__).with_name("kafka-pom.xml")
LOG4J2_CONFIG = Path(__file__).with_name("kafka-log4j2.xml")
_COMPLETE_MARKER = ".complete"


def java_binary() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise FileNotFoundError("java not found: Kafka 4 needs a JDK/JRE 17+ (e.g. openjdk-17-jre-headless)")
    return java


def ensure_kafka_jars(lib_dir: Path) -> Path:
    """Fill `lib_dir` with Kafka and its dependencies from Maven Central, once.

    A marker file holds the pom's hash, so a changed kafka-pom.xml fetches again; a file lock lets
    `make run` and a test session share one cache safely.
    """
    pom_hash = hashlib.sha256(KAFKA_POM.read_bytes()).hexdigest()
    marker = lib_dir / _COMPLETE_MARKER

    def ready() -> bool:
        return marker.exists() and marker.read_text().strip() == pom_hash

    if ready():
        return lib_dir
    lib_dir.parent.mkdir(parents=True, exist_ok=True)
    with (lib_dir.parent / f"{lib_dir.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready():
            return lib_dir
        mvn = shutil.which("mvn")
        if mvn is None:
            raise FileNotFoundError("mvn not found: it fetches the Kafka jars once (apt-get install maven)")
        partial = lib_dir.with_name(f"{lib_dir.name}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        log.info("fetching Kafka jars into %s (once)", lib_dir)
        started = time.monotonic()
        result = subprocess.run(
            [mvn, "-q", "-B", "-f", str(KAFKA_POM), "dependency:copy-dependencies", f"-DoutputDirectory={partial}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"fetching the Kafka jars failed:\n{result.stdout}{result.stderr}")
        (partial / _COMPLETE_MARKER).write_text(f"{pom_hash}\n")
        shutil.rmtree(lib_dir, ignore_errors=True)
        partial.rename(lib_dir)
        log.info("Kafka jars fetched in %.1fs", time.monotonic() - started)
    return lib_dir


def new_cluster_id() -> str:
    """A KRaft cluster id as Kafka's own `Uuid.randomUuid()` writes it (URL-safe base64, no padding)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


class LocalKafka:
    def __init__(
        self,
        home: Path,
        port: int,
        controller_port: int | None = None,
        *,
        host: str = "127.0.0.1",
        lib_dir: Path | None = None,
        heap: str = "1G",
        start_timeout: float = 120.0,
    ) -> None:
        """`home` holds server.properties, `data/`, `logs/` and, unless `lib_dir` says otherwise, `lib/`.
        `controller_port` None: any free port, chosen at start (clients never use it)."""
        self.home = home
        self.host = host
        self.port = port
        self.controller_port = controller_port
        self.lib_dir = lib_dir if lib_dir is not None else home / "lib"
        self.heap = heap
        self.start_timeout = start_timeout
        self.data_dir = home / "data"
        self.logs_dir = home / "logs"
        self.config_file = home / "server.properties"
        self._process = ServiceProcess(
            "kafka", home / "kafka.pid", self.logs_dir / "kafka.out", marker=str(self.config_file)
        )

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def is_running(self) -> bool:
        return self._process.is_running()

    def start(self) -> None:
        if self.is_running():
            log.info("Kafka already runs from %s", self.home)
        else:
            ensure_kafka_jars(self.lib_dir)
            self.home.mkdir(parents=True, exist_ok=True)
            self.logs_dir.mkdir(exist_ok=True)
            self.config_file.write_text(self._server_properties())
            if not (self.data_dir / "meta.properties").exists():
                self._format_storage()
            self._process.spawn(
                [
                    java_binary(),
                    f"-Xms{self.heap}",
                    f"-Xmx{self.heap}",  # a fixed heap avoids KAFKA-19890
                    "-XX:+UseG1GC",
                    "-XX:MaxGCPauseMillis=20",
                    "-Djava.awt.headless=true",
                    f"-Dlog4j2.configurationFile={LOG4J2_CONFIG}",
                    f"-Dkafka.logs.dir={self.logs_dir}",
                    "-cp",
                    self._class_path(),
                    "kafka.Kafka",
                    str(self.config_file),
                ],
                cwd=self.home,
            )
        self._process.wait_until(self._answers, self.start_timeout, "Kafka metadata answer")
        log.info("Kafka ready on %s", self.bootstrap)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (Kafka shuts down cleanly, so the next start recovers nothing), SIGKILL after `timeout`."""
        self._process.terminate(timeout)

    def _server_properties(self) -> str:
        if self.controller_port is None:
            self.controller_port = free_port(self.host)
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{self.host}:{self.controller_port}",
            "listeners": f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str(self.data_dir),
            # One node: every internal topic gets a single replica.
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "6",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "6",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "min.insync.replicas": "1",
            "default.replication.factor": "1",
            "num.partitions": "6",
            "auto.create.topics.enable": "false",
            "group.initial.rebalance.delay.ms": "0",
        }
        lines = ["# Written by devstack.kafka on every start; edits are overwritten."]
        lines += [f"{key}={value}" for key, value in settings.items()]
        return "\n".join(lines) + "\n"

    def _format_storage(self) -> None:
        cluster_id = new_cluster_id()
        log.info("formatting Kafka storage in %s (cluster id %s)", self.data_dir, cluster_id)
        result = subprocess.run(
            [
                java_binary(),
                "-cp",
                self._class_path(),
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                cluster_id,
                "--config",
                str(self.config_file),
            ],
            cwd=self.home,
            capture_output=True,
            check=False,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"Kafka storage format failed:\n{result.stdout}{result.stderr}")

    def _class_path(self) -> str:
        return str(self.lib_dir / "*")  # the JVM expands the wildcard itself

    def _answers(self) -> bool:
        return is_listening(self.host, self.port) and answers_metadata(self.bootstrap)
